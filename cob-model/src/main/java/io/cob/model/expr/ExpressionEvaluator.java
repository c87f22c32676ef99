package io.cob.model.expr;

import io.cob.model.Expression;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates model expressions (FEEL, JUEL, literals) against variables.
 *
 * <p>Values crossing this interface, in and out, are plain JSON-like Java values: {@code null},
 * {@link Boolean}, {@link String}, {@link Long} (integral numbers), {@link java.math.BigDecimal}
 * (other numbers), {@link java.util.List} and {@link java.util.Map} with String keys (insertion
 * ordered). Temporal results (FEEL dates, times, durations) are returned as their ISO-8601 strings.
 * Inputs of other numeric types (Integer, Double ...) are accepted.
 *
 * <p>Implementations are thread-safe and cache compiled expressions.
 */
public interface ExpressionEvaluator {

  /**
   * Checks an expression's syntax without evaluating it.
   *
   * @return the parser's message when the expression is malformed, empty when it is fine
   */
  Optional<String> check(Expression expression);

  /**
   * Evaluates an expression. A literal evaluates to its text.
   *
   * @param variables the variables visible at the evaluation point, by name
   * @throws ExpressionException when evaluation fails (syntax, unknown function, type error ...);
   *     the message names the expression
   */
  Object evaluate(Expression expression, Map<String, Object> variables);
}
