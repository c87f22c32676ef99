package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExclusiveGatewayTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static final String MODEL =
      process(
          "p",
          """
      <startEvent id="s"/>
      <exclusiveGateway id="g" default="g_low"/>
      <task id="high"/><task id="low"/><endEvent id="e1"/><endEvent id="e2"/>
      """,
          "s->g",
          "g->high if =amount > 100",
          "g->low",
          "high->e1",
          "low->e2");

  @Test
  void shouldTakeFirstFlowWhoseConditionHolds() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("amount", 150));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).contains("high").doesNotContain("low");
  }

  @Test
  void shouldTakeDefaultFlowWhenNoConditionHolds() {
    engine.deploy(MODEL);
    Instance i = engine.start("p", Map.of("amount", 50));
    assertThat(i.completed()).contains("low").doesNotContain("high");
  }

  @Test
  void shouldRaiseIncidentNamingTheGatewayWhenNoFlowMatches() {
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><exclusiveGateway id="g"/><task id="a"/><endEvent id="e"/>
        """,
            "s->g",
            "g->a if =ok",
            "a->e"));
    Instance i = engine.start("p", Map.of("ok", false));
    assertThat(i.status()).isEqualTo("ACTIVE");
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.elementId()).isEqualTo("g");
              assertThat(inc.kind()).isEqualTo("CONDITION");
              assertThat(inc.message()).contains("'g'");
            });
    assertThat(i.state().incidents()).hasSize(1);
  }
}
