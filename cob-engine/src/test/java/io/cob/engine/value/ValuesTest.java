package io.cob.engine.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void shouldTurnWholeNumbersIntoLongsAndOthersIntoDecimals() {
    assertThat(Values.canonical(3)).isEqualTo(3L);
    assertThat(Values.canonical(new BigDecimal("2.50"))).isEqualTo(new BigDecimal("2.5"));
    assertThat(Values.canonical(2.0d)).isEqualTo(2L);
    assertThat(Values.canonical(new BigDecimal("1E+3"))).isEqualTo(1000L);
    assertThat(Values.canonical(Map.of("a", List.of(1, 1.5))))
        .isEqualTo(Map.of("a", List.of(1L, new BigDecimal("1.5"))));
  }

  @Test
  void shouldKeepAWholeNumberBeyond64BitsAsADecimalWithOnePlace() {
    Object big = Values.canonical(new BigDecimal("1E+20"));
    assertThat(big).isEqualTo(new BigDecimal("100000000000000000000.0"));
    assertThat(Values.canonical(big)).isEqualTo(big);
    assertThat(Values.canonical(BigInteger.TWO.pow(64)))
        .isEqualTo(new BigDecimal("18446744073709551616.0"));
    assertThat(Values.canonical(new BigDecimal(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldRefuseNumbersWithMoreThanAThousandDigits() {
    assertThatThrownBy(() -> Values.canonical(new BigDecimal("1E+999999")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1000 digits");
    assertThatThrownBy(() -> Values.canonical(new BigDecimal("1E-2000")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRefuseValuesJsonCannotHold() {
    assertThatThrownBy(() -> Values.canonical(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Values.canonical(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }
}
