package io.cob.engine.bpmn;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TimerStartEventTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private static String model(String timer, String endId) {
    return process(
        "p",
        "<startEvent id=\"tick\"><timerEventDefinition>"
            + timer
            + "</timerEventDefinition></startEvent><endEvent id=\""
            + endId
            + "\"/>",
        "tick->" + endId);
  }

  private List<InstanceSummary> instances() {
    return engine.store().instances(new InstanceQuery(null, "p", null, null, null, 100, null));
  }

  @Test
  void shouldStartOneInstanceWhenTheDurationHasPassed() {
    engine.deploy(model("<timeDuration>PT1H</timeDuration>", "e"));
    engine.advance(Duration.ofMinutes(59));
    assertThat(instances()).isEmpty();
    engine.advance(Duration.ofMinutes(2));
    assertThat(instances())
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo("COMPLETED"));
    engine.advance(Duration.ofHours(5));
    assertThat(instances()).hasSize(1);
    assertThat(engine.store().nextTimerDue()).isEmpty();
  }

  @Test
  void shouldStartOneInstancePerRepetitionOfACycle() {
    engine.deploy(model("<timeCycle>R3/PT10M</timeCycle>", "e"));
    for (int i = 0; i < 6; i++) {
      engine.advance(Duration.ofMinutes(10));
    }
    assertThat(instances()).hasSize(3);
    assertThat(engine.store().nextTimerDue()).isEmpty();
  }

  @Test
  void shouldReplaceTheTimerOfThePreviousVersionOnRedeploy() {
    engine.deploy(model("<timeCycle>R/PT10M</timeCycle>", "e"));
    engine.advance(Duration.ofMinutes(10));
    assertThat(instances()).hasSize(1);
    engine.deploy(model("<timeDuration>PT1H</timeDuration>", "e2"));
    engine.advance(Duration.ofMinutes(30));
    assertThat(instances()).hasSize(1);
    engine.advance(Duration.ofMinutes(31));
    assertThat(instances()).hasSize(2);
    assertThat(instances()).extracting(InstanceSummary::version).containsExactlyInAnyOrder(1, 2);
  }
}
