package io.cob.engine.dispatch;

import static io.cob.engine.TestModels.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.TestClouds;
import io.cob.engine.command.RemoteRun;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.JobRanRemotely;
import io.cob.engine.port.ActivatedJob;
import io.cob.engine.runtime.CommandRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The outcome of a job that another cloud ran records where and when it ran. */
class RemoteRunTest {
  private static final String MODEL =
      process(
          "p",
          """
          <startEvent id="s"/>
          <serviceTask id="there" cob:cloud="public-a"><extensionElements><zeebe:taskDefinition type="work"/></extensionElements></serviceTask>
          <endEvent id="e"/>
          """,
          "s->there",
          "there->e");
  private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

  private final List<ActivatedJob> sent = new CopyOnWriteArrayList<>();

  private EngineHarness harness() {
    return new EngineHarness()
        .clouds(new TestClouds().add("test", "", null, null, 1).add("public-a", "", null, null, 3))
        .jobDispatch((job, cloud) -> sent.add(job));
  }

  private static RemoteRun ranOn(String cloud) {
    return new RemoteRun(
        cloud,
        "node-a1",
        T,
        T.plusMillis(3),
        T.plusMillis(4),
        T.plusMillis(20),
        T.plusMillis(21),
        T.plusMillis(25));
  }

  @Test
  void shouldRecordWhereAndWhenTheJobRanBeforeItsCompletion() {
    try (EngineHarness h = harness()) {
      h.deploy(MODEL);
      Instance i = h.start("p");

      h.engine().completeJob(sent.get(0).key(), Map.of("done", true), ranOn("public-a"));
      h.settle();

      assertThat(i.status()).isEqualTo("COMPLETED");
      List<String> types = i.history().stream().map(EventRecord::type).toList();
      assertThat(types.indexOf("JobRanRemotely")).isEqualTo(types.indexOf("JobCompleted") - 1);
      JobRanRemotely ran = ranRemotely(i);
      assertThat(ran.elementId()).isEqualTo("there");
      assertThat(ran.cloud()).isEqualTo("public-a");
      assertThat(ran.node()).isEqualTo("node-a1");
      assertThat(ran.sentAt()).isEqualTo(T);
      assertThat(ran.resultReceivedAt()).isEqualTo(T.plusMillis(25));
      assertThat(ranOn("public-a").busLatency()).isEqualTo(Duration.ofMillis(7));
    }
  }

  @Test
  void shouldRecordTheRunWithAFailedAttempt() {
    try (EngineHarness h = harness()) {
      h.deploy(MODEL);
      Instance i = h.start("p");

      h.engine().failJob(sent.get(0).key(), null, "boom", null, ranOn("public-a"));
      h.settle();

      List<String> types = i.history().stream().map(EventRecord::type).toList();
      assertThat(types).containsSubsequence("JobRanRemotely", "JobFailed");
      assertThat(i.status()).isEqualTo("ACTIVE");
    }
  }

  @Test
  void shouldRefuseAnOutcomeFromACloudTheJobIsNotPlacedOn() {
    try (EngineHarness h = harness()) {
      h.deploy(MODEL);
      Instance i = h.start("p");

      assertThatThrownBy(
              () -> h.engine().completeJob(sent.get(0).key(), Map.of(), ranOn("public-b")))
          .isInstanceOf(CommandRejectedException.class)
          .hasMessageContaining("placed on cloud 'public-a', not on 'public-b'");
      assertThat(i.history()).noneMatch(r -> r.event() instanceof JobRanRemotely);
      assertThat(i.status()).isEqualTo("ACTIVE");
    }
  }

  private static JobRanRemotely ranRemotely(Instance i) {
    return i.history().stream()
        .map(EventRecord::event)
        .filter(JobRanRemotely.class::isInstance)
        .map(JobRanRemotely.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
