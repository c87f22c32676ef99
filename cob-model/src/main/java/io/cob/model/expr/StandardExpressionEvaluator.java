package io.cob.model.expr;

import io.cob.model.Expression;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's {@link ExpressionEvaluator}: literals, FEEL (Camunda 8 semantics, via the Camunda
 * feel-engine) and JUEL (Camunda 7 / Flowable semantics, via Jakarta EL).
 *
 * <p>Contract beyond the interface:
 *
 * <ul>
 *   <li>FEEL: a missing variable or context entry evaluates to null, as in Camunda 8. Any other
 *       error that FEEL would silently turn into a null result (type mismatch, unknown function,
 *       comparison with null ...) raises an {@link ExpressionException} listing FEEL's reasons. A
 *       result that is non-null despite such errors inside it (e.g. {@code [1, 1 + "a"]}) is
 *       returned as is. FEEL context results with more than four entries do not keep their
 *       insertion order (feel-engine stores them in an unordered map).
 *   <li>JUEL: a top-level identifier that is not a variable raises an {@link ExpressionException}
 *       ("unknown variable 'x' in ${...}"), as in Camunda 7; a missing key of a map is null.
 *   <li>Results are normalized with {@link ValueNormalizer}; a result with no JSON-like form (a
 *       FEEL function, an arbitrary Java object, an infinite number) raises an {@link
 *       ExpressionException}.
 *   <li>Parse results, including failures, are cached per language and text, up to {@code
 *       cacheSize} entries each.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class StandardExpressionEvaluator implements ExpressionEvaluator {

  /** Cache entries per language when none is given; far more than a large deployment needs. */
  public static final int DEFAULT_CACHE_SIZE = 10_000;

  private final FeelEvaluator feel;
  private final JuelEvaluator juel;

  public StandardExpressionEvaluator() {
    this(DEFAULT_CACHE_SIZE);
  }

  /**
   * @param cacheSize the most parsed expressions kept per language; when exceeded the cache is
   *     emptied and refilled on demand
   * @throws IllegalArgumentException when cacheSize is not positive
   */
  public StandardExpressionEvaluator(int cacheSize) {
    this.feel = new FeelEvaluator(cacheSize);
    this.juel = new JuelEvaluator(cacheSize);
  }

  @Override
  public Optional<String> check(Expression expression) {
    Objects.requireNonNull(expression, "expression");
    return switch (expression.language()) {
      case LITERAL -> Optional.empty();
      case FEEL -> feel.check(expression.text());
      case JUEL -> juel.check(expression.text());
    };
  }

  /**
   * {@inheritDoc}
   *
   * @param variables may be null, meaning no variables
   */
  @Override
  public Object evaluate(Expression expression, Map<String, Object> variables) {
    Objects.requireNonNull(expression, "expression");
    Map<String, Object> vars = variables == null ? Map.of() : variables;
    return switch (expression.language()) {
      case LITERAL -> expression.text();
      case FEEL -> feel.evaluate(expression.text(), vars);
      case JUEL -> juel.evaluate(expression.text(), vars);
    };
  }
}
