package io.cob.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.TestClouds;
import io.cob.engine.TestModels;
import io.cob.model.ProcessDefinition;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import io.cob.server.config.CloudConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which clouds an instance's events go to: the model's standbys, else the cloud's. */
class ReplicationPlanTest {
  private final TestClouds directory =
      new TestClouds()
          .add("private", "eu", "0.004", "99.5", 5)
          .add("public-a", "us", "0.001", "99.99", 40)
          .add("public-b", "eu", "0.002", "99.9", 20)
          .add("public-c", "eu", "0.003", "99.95", 30);
  private final Map<String, CloudConfig> configured =
      Map.of(
          "private",
          new CloudConfig(
              null, null, List.of("eu"), null, null, null, List.of("public-b"), "sync"));

  private ReplicationPlan plan(String standbyAttribute) {
    String xml =
        TestModels.process("p", "<startEvent id=\"s\"/><endEvent id=\"e\"/>", "s->e")
            .replace(
                "id=\"p\"", "id=\"p\"" + (standbyAttribute == null ? "" : " " + standbyAttribute));
    ProcessDefinition def =
        new BpmnParser(new StandardExpressionEvaluator())
            .parse("p.bpmn", xml.getBytes(StandardCharsets.UTF_8))
            .processes()
            .getFirst();
    return new ReplicationPlan(
        "private", configured, directory, (id, v) -> Optional.of(def).filter(d -> id.equals("p")));
  }

  @Test
  void shouldTakeTheCloudsStandbysAndModeWhenTheModelNamesNone() {
    ReplicationPlan plan = plan(null);
    assertThat(plan.standbys("p", 1, "private")).containsExactly("public-b");
    assertThat(plan.sync("p", 1)).isTrue();
    assertThat(plan.standbys("unknown", 1, "private")).containsExactly("public-b");
    assertThat(plan.standbys("p", 1, "public-a")).as("a cloud without standbys").isEmpty();
  }

  @Test
  void shouldTakeTheModelsNamesAndModeBeforeTheClouds() {
    ReplicationPlan plan = plan("cob:standby=\"public-c, private\" cob:replication=\"async\"");
    assertThat(plan.standbys("p", 1, "private")).as("never the owner").containsExactly("public-c");
    assertThat(plan.standbys("p", 1, "public-c")).containsExactly("private");
    assertThat(plan.sync("p", 1)).isFalse();
  }

  @Test
  void shouldChooseByAPolicyFromTheConfiguredAttributesAlone() {
    directory.health("public-b", io.cob.engine.port.CloudDirectory.CloudHealth.DOWN);

    assertThat(plan("cob:standby=\"jurisdiction=eu; prefer=cheapest\"").standbys("p", 1, "private"))
        .as("down or not, by cost; never the owner nor a us cloud")
        .containsExactly("public-b", "public-c");
    assertThat(
            plan("cob:standby=\"jurisdiction=eu; prefer=most-available\"")
                .standbys("p", 1, "private"))
        .containsExactly("public-c", "public-b");
    assertThat(plan("cob:standby=\"availability>=99.95\"").standbys("p", 1, "private"))
        .containsExactly("public-a", "public-c");
    assertThat(plan("cob:standby=\"jurisdiction=ch\"").standbys("p", 1, "private")).isEmpty();
  }
}
