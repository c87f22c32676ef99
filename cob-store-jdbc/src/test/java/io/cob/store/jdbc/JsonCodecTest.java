package io.cob.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.command.InstanceCommand;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.StoreException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final JsonCodec codec = new JsonCodec();

  @Test
  void shouldReadWholeNumbersAsLongAndFractionsAsBigDecimal() {
    Map<String, Object> read =
        codec.readVariables(
            "{\"small\":1,\"big\":12345678901,\"fraction\":2.50,\"exp\":1.5e3,\"list\":[7]}");

    assertThat(read.get("small")).isEqualTo(1L);
    assertThat(read.get("big")).isEqualTo(12345678901L);
    assertThat(read.get("fraction")).isEqualTo(new BigDecimal("2.50"));
    assertThat(read.get("exp")).isInstanceOf(BigDecimal.class);
    assertThat(read.get("list")).isEqualTo(List.of(7L));
  }

  @Test
  void shouldWriteBigDecimalsPlainly() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("thousand", new BigDecimal("1.0005E+3"));
    values.put("tiny", new BigDecimal("1.5E-7"));

    assertThat(codec.write(values)).isEqualTo("{\"thousand\":1000.5,\"tiny\":0.00000015}");
  }

  @Test
  void shouldWriteInstantsAndDurationsAsIsoStrings() {
    String json =
        codec.writeCommand(
            new InstanceCommand.FailJob("i1", 3, null, "boom", Duration.ofMillis(1500)));

    assertThat(json).contains("\"backoff\":\"PT1.5S\"");
    assertThat(
            codec.writeEvent(
                new InstanceEvent.JobFailed(
                    3, "task", 2, "boom", Instant.parse("2030-01-01T00:00:00.123456789Z"))))
        .contains("\"retryAt\":\"2030-01-01T00:00:00.123456789Z\"");
  }

  @Test
  void shouldTagEventsAndCommandsWithTheirSimpleName() {
    assertThat(codec.writeEvent(new InstanceEvent.InstanceEnded("COMPLETED")))
        .isEqualTo("{\"@type\":\"InstanceEnded\",\"state\":\"COMPLETED\"}");
    assertThat(codec.readCommand("{\"@type\":\"CancelInstance\",\"instanceId\":\"i1\"}"))
        .isEqualTo(new InstanceCommand.CancelInstance("i1"));
  }

  @Test
  void shouldRefuseAnUnknownTypeWithAStoreException() {
    assertThatThrownBy(() -> codec.readEvent("{\"@type\":\"NoSuchEvent\"}"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("NoSuchEvent");
  }

  @Test
  void shouldPassNullThrough() {
    assertThat(codec.write(null)).isNull();
    assertThat(codec.readSnapshot(null)).isNull();
    assertThat(codec.readVariables(null)).isNull();
  }
}
