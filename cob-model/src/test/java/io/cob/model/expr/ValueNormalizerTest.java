package io.cob.model.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueNormalizerTest {

  @Test
  void shouldTurnIntegralNumbersIntoLong() {
    assertThat(ValueNormalizer.normalize(7)).isEqualTo(7L);
    assertThat(ValueNormalizer.normalize((short) 7)).isEqualTo(7L);
    assertThat(ValueNormalizer.normalize((byte) 7)).isEqualTo(7L);
    assertThat(ValueNormalizer.normalize(BigInteger.TEN)).isEqualTo(10L);
    assertThat(ValueNormalizer.normalize(new BigDecimal("7.000"))).isEqualTo(7L);
    assertThat(ValueNormalizer.normalize(7.0d)).isEqualTo(7L);
    assertThat(ValueNormalizer.normalize(new BigDecimal("0.00"))).isEqualTo(0L);
  }

  @Test
  void shouldTurnOtherNumbersIntoStrippedBigDecimal() {
    assertThat(ValueNormalizer.normalize(new BigDecimal("2.50"))).isEqualTo(new BigDecimal("2.5"));
    assertThat(ValueNormalizer.normalize(0.1d)).isEqualTo(new BigDecimal("0.1"));
    assertThat(ValueNormalizer.normalize(0.1f)).isEqualTo(new BigDecimal("0.1"));
  }

  @Test
  void shouldKeepIntegersBeyondLongAsPlainBigDecimal() {
    Object result = ValueNormalizer.normalize(new BigDecimal("1E+23"));
    assertThat(result).isEqualTo(new BigDecimal("100000000000000000000000"));
    assertThat(((BigDecimal) result).toString()).isEqualTo("100000000000000000000000");
    assertThat(ValueNormalizer.normalize(BigInteger.TWO.pow(64)))
        .isEqualTo(new BigDecimal("18446744073709551616"));
  }

  @Test
  void shouldRejectNonFiniteNumbers() {
    assertThatThrownBy(() -> ValueNormalizer.normalize(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void shouldCopyContainersRecursively() {
    Map<Object, Object> input = new LinkedHashMap<>();
    input.put("b", List.of(1, 2.5d));
    input.put(3, new int[] {4, 5});
    input.put("s", Set.of("x"));

    Object result = ValueNormalizer.normalize(input);

    assertThat(result).isInstanceOf(LinkedHashMap.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) result;
    assertThat(map).containsOnlyKeys("b", "3", "s");
    assertThat(map.keySet()).containsExactly("b", "3", "s");
    assertThat(map.get("b"))
        .isInstanceOf(ArrayList.class)
        .isEqualTo(List.of(1L, new BigDecimal("2.5")));
    assertThat(map.get("3")).isEqualTo(List.of(4L, 5L));
    assertThat(map.get("s")).isEqualTo(List.of("x"));
  }

  @Test
  void shouldWriteTemporalValuesAsIsoStrings() {
    assertThat(ValueNormalizer.normalize(Duration.ofSeconds(5))).isEqualTo("PT5S");
    assertThat(ValueNormalizer.normalize(Period.of(1, 2, 0))).isEqualTo("P1Y2M");
    assertThat(ValueNormalizer.normalize(LocalTime.of(10, 0))).isEqualTo("10:00:00");
    assertThat(ValueNormalizer.normalize(OffsetDateTime.parse("2026-01-01T10:00Z")))
        .isEqualTo("2026-01-01T10:00:00Z");
    assertThat(ValueNormalizer.normalize(Instant.parse("2026-01-01T10:00:00Z")))
        .isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void shouldRejectObjectsWithoutJsonForm() {
    assertThatThrownBy(() -> ValueNormalizer.normalize(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }
}
