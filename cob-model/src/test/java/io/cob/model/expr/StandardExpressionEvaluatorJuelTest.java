package io.cob.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.Expression;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardExpressionEvaluatorJuelTest {

  private final StandardExpressionEvaluator evaluator = new StandardExpressionEvaluator();

  private Object juel(String text, Map<String, Object> variables) {
    Expression expression = Expression.of(text);
    assertThat(expression.language()).isEqualTo(Expression.Language.JUEL);
    return evaluator.evaluate(expression, variables);
  }

  @Test
  void shouldCompareNumberVariable() {
    assertThat(juel("${amount > 100}", Map.of("amount", 150))).isEqualTo(true);
    assertThat(juel("${amount > 100}", Map.of("amount", 99L))).isEqualTo(false);
    assertThat(juel("${amount > 100}", Map.of("amount", new BigDecimal("100.5")))).isEqualTo(true);
  }

  @Test
  void shouldNavigateNestedMaps() {
    Map<String, Object> vars =
        Map.of("order", Map.of("customer", Map.of("name", "Ann"), "amount", 150));
    assertThat(juel("${order.customer.name}", vars)).isEqualTo("Ann");
    assertThat(juel("${order.amount > 100}", vars)).isEqualTo(true);
    assertThat(juel("${order['customer'].name}", vars)).isEqualTo("Ann");
  }

  @Test
  void shouldReturnBooleanVariable() {
    assertThat(juel("${approved}", Map.of("approved", true))).isEqualTo(true);
    assertThat(juel("#{!approved}", Map.of("approved", true))).isEqualTo(false);
  }

  @Test
  void shouldCompareStringWithSingleQuotedLiteral() {
    assertThat(juel("${x == 'a'}", Map.of("x", "a"))).isEqualTo(true);
    assertThat(juel("${x == 'a'}", Map.of("x", "b"))).isEqualTo(false);
  }

  @Test
  void shouldIndexListsAndCallMethods() {
    Map<String, Object> vars = Map.of("items", List.of("a", "b", "c"));
    assertThat(juel("${items[1]}", vars)).isEqualTo("b");
    assertThat(juel("${items.size()}", vars)).isEqualTo(3L);
    assertThat(juel("${empty items}", vars)).isEqualTo(false);
  }

  @Test
  void shouldNormalizeArithmeticResults() {
    assertThat(juel("${a + b}", Map.of("a", 1, "b", 2))).isEqualTo(3L);
    assertThat(juel("${a / 4}", Map.of("a", 10))).isEqualTo(new BigDecimal("2.5"));
  }

  @Test
  void shouldReturnNullForMissingMapKey() {
    assertThat(juel("${order.nope}", Map.of("order", Map.of("amount", 1)))).isNull();
  }

  @Test
  void shouldReturnNullForVariableHoldingNull() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("x", null);
    assertThat(juel("${x}", vars)).isNull();
    assertThat(juel("${x == null}", vars)).isEqualTo(true);
  }

  @Test
  void shouldThrowForUnknownVariable() {
    assertThatThrownBy(() -> juel("${missing > 1}", Map.of("x", 1)))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("unknown variable 'missing' in ${missing > 1}");
  }

  @Test
  void shouldThrowForTypeError() {
    assertThatThrownBy(() -> juel("${x > 1}", Map.of("x", "abc")))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("${x > 1}");
  }

  @Test
  void shouldRejectAssignment() {
    assertThatThrownBy(() -> juel("${x = 2}", new HashMap<>(Map.of("x", 1))))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("${x = 2}");
  }

  @Test
  void shouldDetectSyntaxErrorWithMessage() {
    assertThat(evaluator.check(Expression.of("${amount >}")))
        .hasValueSatisfying(
            message -> assertThat(message).contains("JUEL expression '${amount >}'"));
    assertThatThrownBy(() -> juel("${amount >}", Map.of("amount", 1)))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("${amount >}");
  }

  @Test
  void shouldAcceptWellFormedExpressionInCheck() {
    assertThat(evaluator.check(Expression.of("${order.amount > 100 && approved}"))).isEmpty();
  }
}
