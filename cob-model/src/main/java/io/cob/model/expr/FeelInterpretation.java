package io.cob.model.expr;

import java.util.Map;
import org.camunda.feel.FeelEngine;
import org.camunda.feel.FeelEngineClock;
import org.camunda.feel.api.EvaluationFailure;
import org.camunda.feel.api.EvaluationFailureType;
import org.camunda.feel.api.EvaluationResult;
import org.camunda.feel.api.FailedEvaluationResult;
import org.camunda.feel.api.SuccessfulEvaluationResult;
import org.camunda.feel.context.Context;
import org.camunda.feel.context.FunctionProvider;
import org.camunda.feel.impl.interpreter.BuiltinFunctions;
import org.camunda.feel.impl.interpreter.EvalContext;
import org.camunda.feel.impl.interpreter.FeelInterpreter;
import org.camunda.feel.syntaxtree.ParsedExpression;
import org.camunda.feel.syntaxtree.Val;
import org.camunda.feel.syntaxtree.ValError;
import org.camunda.feel.syntaxtree.ValFatalError;
import org.camunda.feel.valuemapper.ValueMapper;
import scala.collection.immutable.List;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.control.NonFatal;

/**
 * Evaluates already parsed and validated FEEL expressions the way feel-engine's {@code
 * FeelEngine.evaluate} does, minus two costs it pays on every call: feel-engine 1.19 builds its
 * root context, including every built-in function ({@code BuiltinFunctions}, hundreds of function
 * objects in a map), anew for each evaluation, and validates the expression again although it was
 * validated when parsed. Here the built-in functions are built once; each evaluation gets a root
 * context of its own (a new failure collector) over them.
 *
 * <p>The results are those of {@code FeelEngine.evaluate}: the same failure texts, the same
 * suppressed failures, an assertion failure raised as a failure, and a throw inside the interpreter
 * turned into a failure "failed to evaluate expression '...' : ...".
 *
 * <p>Thread-safe: the built-in functions are immutable (the clock is read when {@code now()} and
 * {@code today()} are called), the interpreter is stateless, and nothing of one evaluation is
 * shared with another.
 */
final class FeelInterpretation {
  private final ValueMapper valueMapper;
  private final FeelInterpreter interpreter;
  private final FunctionProvider functions;

  FeelInterpretation(ValueMapper valueMapper, FeelEngineClock clock, FunctionProvider custom) {
    this.valueMapper = valueMapper;
    this.interpreter = new FeelInterpreter(valueMapper);
    this.functions =
        new FunctionProvider.CompositeFunctionProvider(
            CollectionConverters.asScala(
                    java.util.List.<FunctionProvider>of(
                        new BuiltinFunctions(clock, valueMapper), custom))
                .toList());
  }

  /** Evaluates a parsed (and validated) expression on the variables. */
  EvaluationResult evaluate(ParsedExpression expression, Map<String, Object> variables) {
    try {
      Context variablesContext =
          new Context.StaticContext(
              scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(variables)),
              scala.collection.immutable.Map$.MODULE$.empty());
      EvalContext context = EvalContext.create(valueMapper, functions).merge(variablesContext);
      return interpret(expression, context);
    } catch (Throwable t) {
      if (!NonFatal.apply(t)) {
        throw t;
      }
      return new FailedEvaluationResult(
          new FeelEngine.Failure(
              "failed to evaluate expression '" + expression.text() + "' : " + t),
          emptyFailures());
    }
  }

  private EvaluationResult interpret(ParsedExpression expression, EvalContext context) {
    Val value = interpreter.eval(expression.expression(), context);
    List<EvaluationFailure> failures = context.failureCollector().failures();
    EvaluationFailure assertion =
        CollectionConverters.asJava(failures).stream()
            .filter(f -> EvaluationFailureType.ASSERT_FAILURE$.MODULE$.equals(f.failureType()))
            .findFirst()
            .orElse(null);
    if (assertion != null) {
      return failed(
          "Assertion failure on evaluate the expression '"
              + expression.text()
              + "': "
              + assertion.failureMessage(),
          failures);
    }
    if (value instanceof ValError error) {
      return failed(
          "failed to evaluate expression '" + expression.text() + "': " + error.error(), failures);
    }
    if (value instanceof ValFatalError error) {
      return failed(
          "failed to evaluate expression '" + expression.text() + "': " + error.error(), failures);
    }
    return new SuccessfulEvaluationResult(valueMapper.unpackVal(value), failures);
  }

  private static EvaluationResult failed(String message, List<EvaluationFailure> failures) {
    return new FailedEvaluationResult(new FeelEngine.Failure(message), failures);
  }

  private static List<EvaluationFailure> emptyFailures() {
    return scala.collection.immutable.List$.MODULE$.empty();
  }
}
