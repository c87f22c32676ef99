package io.cob.model.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.feel.api.EvaluationFailure;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FeelEngineApi;
import org.camunda.feel.api.FeelEngineBuilder;
import org.camunda.feel.api.ParseResult;
import org.camunda.feel.syntaxtree.ParsedExpression;
import scala.jdk.javaapi.CollectionConverters;

/**
 * FEEL expressions through the Camunda feel-engine, with Camunda 8 semantics.
 *
 * <p>The engine is built with its default (Scala) value mapper rather than {@code
 * FeelEngineBuilder.forJava()}: the Java mapper turns every non-integral number into a {@code
 * Double}, losing FEEL's decimal precision, whereas the Scala mapper returns {@code
 * scala.math.BigDecimal}, {@code scala.collection} lists and maps, and {@code java.time} values,
 * which {@link #toJava(Object)} converts losslessly.
 *
 * <p>feel-engine is "null-friendly": most errors (wrong types, unknown functions, a missing
 * variable) do not fail the evaluation but make the offending sub-expression null and are reported
 * as suppressed failures. As in Camunda 8 a missing variable or context entry is just null; any
 * other suppressed failure that leaves the whole result null is raised as an {@link
 * ExpressionException}, since the null then stands for an error, not for a value.
 *
 * <p>Parsed expressions are cached ({@link ParseCache}) and evaluated by {@link
 * FeelInterpretation}, which builds feel-engine's built-in functions once rather than per
 * evaluation.
 *
 * <p>Expressions come from models, which are input: they reach no Java class or method. External
 * Java functions ({@code function(x) external { java: {...} }}) are refused when parsed, and a Java
 * object among the variables is an error rather than a context whose methods FEEL could call
 * ({@link PlainValuesOnly}).
 *
 * <p>Thread-safe: the engine and parsed expressions are immutable.
 */
final class FeelEvaluator {

  private static final String PARSE_FAILURE_PREFIX = "failed to parse expression '";

  /** Failure types that mean "absent", which FEEL, like Camunda 8, treats as null. */
  private static final Set<String> ABSENCE_FAILURES =
      Set.of("NO_VARIABLE_FOUND", "NO_CONTEXT_ENTRY_FOUND");

  /** Parses (and validates) expressions; evaluation goes through {@link #interpretation}. */
  private final FeelEngineApi engine;

  private final FeelInterpretation interpretation;
  private final ParseCache<Parsed<ParsedExpression>> cache;

  FeelEvaluator(int cacheSize) {
    // External (Java) functions stay disabled, feel-engine's default: the parser refuses
    // "function(x) external { java: ... }". Java objects among the values are refused too.
    FeelEngineBuilder builder =
        FeelEngineBuilder.create()
            .withEnabledExternalFunctions(false)
            .withValueMapper(PlainValuesOnly.valueMapper());
    this.engine = builder.build();
    this.interpretation =
        new FeelInterpretation(builder.valueMapper(), builder.clock(), builder.functionProvider());
    this.cache = new ParseCache<>(cacheSize);
  }

  Optional<String> check(String text) {
    return Optional.ofNullable(parse(text).error());
  }

  Object evaluate(String text, Map<String, Object> variables) {
    Parsed<ParsedExpression> parsed = parse(text);
    if (parsed.isMalformed()) {
      throw new ExpressionException(parsed.error());
    }
    EvaluationResult result;
    try {
      result = interpretation.evaluate(parsed.compiled(), variables);
    } catch (RuntimeException e) {
      // The API reports failures as results; a throw is an engine bug or a hostile input
      // object, still to be reported against the expression.
      throw new ExpressionException(describe(text) + " failed: " + e, e);
    }
    if (result.isFailure()) {
      throw new ExpressionException(describe(text) + " failed: " + result.failure().message());
    }
    Object value = result.result();
    if (value == null) {
      List<String> errors = errorsBehindNull(result);
      if (!errors.isEmpty()) {
        throw new ExpressionException(
            describe(text) + " evaluated to null because of: " + String.join("; ", errors));
      }
      return null;
    }
    try {
      return ValueNormalizer.normalize(toJava(value));
    } catch (IllegalArgumentException e) {
      throw new ExpressionException(
          describe(text) + " returned a value that cannot be used: " + e.getMessage(), e);
    }
  }

  private Parsed<ParsedExpression> parse(String text) {
    return cache.get(text, this::compile);
  }

  private Parsed<ParsedExpression> compile(String text) {
    ParseResult result;
    try {
      result = engine.parseExpression(text);
    } catch (RuntimeException e) {
      return Parsed.malformed(describe(text) + " is malformed: " + e);
    }
    if (result.isFailure()) {
      return Parsed.malformed(describe(text) + " is malformed: " + parserReason(text, result));
    }
    return Parsed.ok(result.parsedExpression());
  }

  /** The parser's message without its "failed to parse expression '...': " preamble. */
  private static String parserReason(String text, ParseResult result) {
    String message = result.failure().message();
    String preamble = PARSE_FAILURE_PREFIX + text + "': ";
    return message.startsWith(preamble) ? message.substring(preamble.length()) : message;
  }

  private static List<String> errorsBehindNull(EvaluationResult result) {
    List<EvaluationFailure> failures = CollectionConverters.asJava(result.suppressedFailures());
    boolean onlyAbsence =
        failures.stream().allMatch(f -> ABSENCE_FAILURES.contains(f.failureType().toString()));
    if (onlyAbsence) {
      return List.of();
    }
    return failures.stream()
        .map(f -> "[" + f.failureType() + "] " + f.failureMessage())
        .collect(Collectors.toList());
  }

  private static String describe(String text) {
    return "FEEL expression '" + text + "'";
  }

  /**
   * Replaces the Scala values the feel-engine returns by their Java counterparts, recursively.
   * Anything else (java.time values, String, Boolean, feel-engine's own types) is left to {@link
   * ValueNormalizer}.
   */
  static Object toJava(Object value) {
    if (value instanceof scala.math.BigDecimal decimal) {
      return decimal.bigDecimal();
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> result = new LinkedHashMap<>();
      CollectionConverters.asJava(map).forEach((k, v) -> result.put(k, toJava(v)));
      return result;
    }
    if (value instanceof scala.collection.Iterable<?> items) {
      List<Object> result = new ArrayList<>();
      CollectionConverters.asJava(items).forEach(item -> result.add(toJava(item)));
      return result;
    }
    return value;
  }
}
