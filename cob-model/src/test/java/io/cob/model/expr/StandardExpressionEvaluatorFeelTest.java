package io.cob.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.Expression;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardExpressionEvaluatorFeelTest {

  private final StandardExpressionEvaluator evaluator = new StandardExpressionEvaluator();

  private Object feel(String text) {
    return feel(text, Map.of());
  }

  private Object feel(String text, Map<String, Object> variables) {
    return evaluator.evaluate(Expression.feel(text), variables);
  }

  @Test
  void shouldReturnLongForIntegralArithmetic() {
    assertThat(feel("1 + 1")).isEqualTo(2L);
    assertThat(feel("x * 3", Map.of("x", 4))).isEqualTo(12L);
  }

  @Test
  void shouldReturnBigDecimalForFractionalArithmetic() {
    assertThat(feel("5 / 2")).isEqualTo(new BigDecimal("2.5"));
  }

  @Test
  void shouldStripTrailingZerosFromDecimalResults() {
    assertThat(feel("1.50 * 1")).isEqualTo(new BigDecimal("1.5"));
    assertThat(feel("2.50 * 2")).isEqualTo(5L);
  }

  @Test
  void shouldKeepPrecisionOfNumbersBeyondLong() {
    assertThat(feel("10000000000000000000000 * 10"))
        .isEqualTo(new BigDecimal("100000000000000000000000"));
    assertThat(feel("big + 1", Map.of("big", new BigInteger("123456789012345678901234567890"))))
        .isEqualTo(new BigDecimal("123456789012345678901234567891"));
  }

  @Test
  void shouldEvaluateFeelComparisonAgainstLongVariable() {
    assertThat(feel("x > 3", Map.of("x", 5L))).isEqualTo(true);
    assertThat(feel("x > 3", Map.of("x", 2L))).isEqualTo(false);
  }

  @Test
  void shouldAcceptOtherNumericInputTypes() {
    Map<String, Object> vars =
        Map.of("i", 5, "s", (short) 4, "d", 2.5d, "f", 1.5f, "bd", new BigDecimal("2.50"));
    assertThat(feel("i > 3", vars)).isEqualTo(true);
    assertThat(feel("s + f", vars)).isEqualTo(new BigDecimal("5.5"));
    assertThat(feel("d * 2", vars)).isEqualTo(5L);
    assertThat(feel("bd", vars)).isEqualTo(new BigDecimal("2.5"));
  }

  @Test
  void shouldConcatenateStrings() {
    assertThat(feel("\"Hello \" + name", Map.of("name", "Ann"))).isEqualTo("Hello Ann");
  }

  @Test
  void shouldBuildContextAsMapWithStringKeys() {
    Object result = feel("{a: 1, b: [1, 2.5, \"x\"], c: {d: true}}");

    assertThat(result)
        .isInstanceOf(LinkedHashMap.class)
        .isEqualTo(
            Map.of(
                "a", 1L,
                "b", List.of(1L, new BigDecimal("2.5"), "x"),
                "c", Map.of("d", true)));
  }

  @Test
  void shouldBuildListAsArrayList() {
    assertThat(feel("[1, 2, 3]"))
        .isInstanceOf(java.util.ArrayList.class)
        .isEqualTo(List.of(1L, 2L, 3L));
  }

  @Test
  void shouldAccessPathsIntoNestedMapsAndLists() {
    Map<String, Object> vars =
        Map.of(
            "order",
            Map.of(
                "customer", Map.of("name", "Ann"),
                "amount", 150,
                "lines", List.of(Map.of("qty", 7))));
    assertThat(feel("order.customer.name", vars)).isEqualTo("Ann");
    assertThat(feel("order.amount > 100", vars)).isEqualTo(true);
    assertThat(feel("order.lines[1].qty + 1", vars)).isEqualTo(8L);
  }

  @Test
  void shouldCountListItems() {
    assertThat(feel("count(items)", Map.of("items", List.of("a", "b", "c")))).isEqualTo(3L);
  }

  @Test
  void shouldReturnNullForMissingVariable() {
    assertThat(feel("missing")).isNull();
    assertThat(feel("missing.name")).isNull();
    assertThat(feel("order.nope", Map.of("order", Map.of("amount", 1)))).isNull();
  }

  @Test
  void shouldReturnNullForVariableHoldingNull() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("n", null);
    assertThat(feel("n", vars)).isNull();
    assertThat(feel("n = null", vars)).isEqualTo(true);
  }

  @Test
  void shouldTreatMissingVariableAsNullInNullChecks() {
    assertThat(feel("missing = null")).isEqualTo(true);
    assertThat(feel("if missing = null then \"none\" else missing")).isEqualTo("none");
  }

  @Test
  void shouldReturnDateTimeAsIsoString() {
    assertThat(feel("date and time(\"2026-01-01T10:00:00Z\")")).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(feel("date and time(\"2026-01-01T10:00:00+01:00\")"))
        .isEqualTo("2026-01-01T10:00:00+01:00");
    assertThat(feel("date and time(\"2026-01-01T10:00:00@Europe/Berlin\")"))
        .isEqualTo("2026-01-01T10:00:00+01:00[Europe/Berlin]");
    assertThat(feel("date and time(\"2026-01-01T10:00:00\")")).isEqualTo("2026-01-01T10:00:00");
  }

  @Test
  void shouldReturnDateAndTimeAsIsoStrings() {
    assertThat(feel("date(\"2026-01-01\")")).isEqualTo("2026-01-01");
    assertThat(feel("time(\"10:00:00\")")).isEqualTo("10:00:00");
    assertThat(feel("time(\"10:00:00+01:00\")")).isEqualTo("10:00:00+01:00");
  }

  @Test
  void shouldReturnDurationsAsIsoStrings() {
    assertThat(feel("duration(\"PT5S\")")).isEqualTo("PT5S");
    assertThat(feel("duration(\"P1Y2M\")")).isEqualTo("P1Y2M");
    assertThat(feel("date(\"2026-01-02\") - date(\"2026-01-01\")")).isEqualTo("PT24H");
  }

  @Test
  void shouldDetectSyntaxErrorWithMessage() {
    assertThat(evaluator.check(Expression.feel("1 +")))
        .hasValueSatisfying(
            message -> assertThat(message).contains("FEEL expression '1 +'").contains("Expected"));
  }

  @Test
  void shouldAcceptWellFormedExpressionInCheck() {
    assertThat(evaluator.check(Expression.feel("order.amount > 100 and count(items) = 2")))
        .isEmpty();
  }

  @Test
  void shouldThrowWhenEvaluatingMalformedExpression() {
    assertThatThrownBy(() -> feel("1 +"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("'1 +'")
        .hasMessageContaining("malformed");
  }

  @Test
  void shouldThrowWhenTypeErrorMakesResultNull() {
    assertThatThrownBy(() -> feel("1 + \"a\""))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("'1 + \"a\"'")
        .hasMessageContaining("INVALID_TYPE");
  }

  @Test
  void shouldThrowForUnknownFunction() {
    assertThatThrownBy(() -> feel("foo(1)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("foo(1)")
        .hasMessageContaining("No function found");
  }

  @Test
  void shouldThrowWhenComparingMissingVariable() {
    assertThatThrownBy(() -> feel("missing > 3"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("missing > 3")
        .hasMessageContaining("NOT_COMPARABLE");
  }

  @Test
  void shouldThrowForHardEvaluationFailure() {
    assertThatThrownBy(() -> feel("assert(1, false)"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("assert(1, false)")
        .hasMessageContaining("not fulfilled");
  }

  @Test
  void shouldThrowWhenResultHasNoJsonForm() {
    assertThatThrownBy(() -> feel("function(x) x + 1"))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("function(x) x + 1");
  }

  @Test
  void shouldReturnLiteralText() {
    assertThat(evaluator.evaluate(Expression.literal("  plain ${x} "), Map.of()))
        .isEqualTo("  plain ${x} ");
    assertThat(evaluator.check(Expression.literal("1 +"))).isEmpty();
  }

  @Test
  void shouldAcceptNullVariables() {
    assertThat(evaluator.evaluate(Expression.feel("1 + 2"), null)).isEqualTo(3L);
  }

  @Test
  void shouldEvaluateExpressionClassifiedFromModelText() {
    assertThat(evaluator.evaluate(Expression.of("= amount >= 100"), Map.of("amount", 100)))
        .isEqualTo(true);
  }
}
