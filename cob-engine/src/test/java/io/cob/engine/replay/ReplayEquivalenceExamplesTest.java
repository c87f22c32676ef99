package io.cob.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.replay.ProcessShape.Boundaries;
import io.cob.engine.replay.ProcessShape.Fork;
import io.cob.engine.replay.ProcessShape.MessageCatch;
import io.cob.engine.replay.ProcessShape.MultiWork;
import io.cob.engine.replay.ProcessShape.SubProcess;
import io.cob.engine.replay.ProcessShape.Timer;
import io.cob.engine.replay.ProcessShape.UserTask;
import io.cob.engine.replay.ProcessShape.Work;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paths the random driver of {@link ReplayEquivalenceProperties} takes that touch several parts of
 * the log at once, written out as examples. The models come from {@link ShapeXml}, so their element
 * ids are the ones a failure report of the property would name. The harness checks replay
 * equivalence of every instance whenever it settles; each test checks once more at the end.
 */
class ReplayEquivalenceExamplesTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  private Instance start(ProcessShape shape, Map<String, Object> variables) {
    engine.deploy(ShapeXml.toXml(shape));
    return engine.start(ProcessShape.PROCESS_ID, variables);
  }

  private static Boundaries errorCatcher(String code) {
    return new Boundaries(
        Optional.empty(),
        Optional.of(code),
        Optional.empty(),
        List.of(),
        List.of(),
        List.of(),
        false);
  }

  @Test
  void shouldCreateANewJobWhenTheIncidentOfAnUncaughtErrorIsResolved() {
    // sub1 [ work2 ] with an E1 catcher on sub1; E9 is caught nowhere
    Instance i =
        start(
            new ProcessShape(
                List.of(new SubProcess(List.of(new Work()), errorCatcher("E1"), false))),
            Map.of("key", "k1"));
    String firstJob = i.job("work2").key();

    i.throwError("work2", "E9");
    assertThat(i.incidents())
        .singleElement()
        .satisfies(
            inc -> {
              assertThat(inc.kind()).isEqualTo("UNHANDLED_ERROR");
              assertThat(inc.elementId()).isEqualTo("work2");
            });
    assertThat(i.jobs()).isEmpty();

    // Resolving re-runs the task: a new job (a new key) at the same element instance.
    engine.engine().resolveIncident(i.incidents().get(0).key(), 1);
    engine.settle();
    assertThat(i.job("work2").key()).isNotEqualTo(firstJob);
    assertThat(i.activeElements()).containsExactly("sub1", "work2");

    i.completeJob("work2", Map.of("x", 1));
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.completed()).doesNotContain("sub1_error");
    engine.assertReplayEquivalent(i.id());
  }

  @Test
  void shouldCorrelateABufferedMessageInTheSameCommandThatOpensTheSubscription() {
    // work1 -> msg2 (ping, correlated on =key)
    Instance i =
        start(new ProcessShape(List.of(new Work(), new MessageCatch("ping"))), Map.of("key", "k1"));
    var published = engine.publish("ping", "k1", Map.of("x", 7), Duration.ofMinutes(10));
    assertThat(published.buffered()).isTrue();

    int before = i.history().size();
    i.completeJob("work1", Map.of());

    // One command: the job completes, the subscription opens and takes the buffered message at
    // once.
    List<String> types =
        i.history().subList(before, i.history().size()).stream()
            .map(EventRecord::event)
            .map(e -> e.getClass().getSimpleName())
            .toList();
    assertThat(types)
        .containsSubsequence(
            "JobCompleted", "SubscriptionOpened", "MessageCorrelated", "InstanceEnded");
    assertThat(i.status()).isEqualTo("COMPLETED");
    assertThat(i.variables()).containsEntry("x", 7L);
    // The message stays for its time-to-live, marked as taken by this process.
    assertThat(engine.store().bufferedMessages("ping", "k1", engine.clock().instant()))
        .singleElement()
        .satisfies(m -> assertThat(m.takenBy()).containsExactly(i.state().processId()));
    engine.assertReplayEquivalent(i.id());
  }

  @Test
  void shouldTerminateEveryInnerInstanceWhenTheTimerOnAParallelMultiInstanceBodyFires() {
    // mi1 over items, interrupting timer mi1_timeout (PT30M) -> user2 -> mi1_merge
    Boundaries timeout =
        new Boundaries(
            Optional.of(new Timer(Duration.ofMinutes(30), true, false)),
            Optional.empty(),
            Optional.empty(),
            List.of(new UserTask()),
            List.of(),
            List.of(),
            false);
    Instance i =
        start(
            new ProcessShape(List.of(new MultiWork(false, timeout))),
            Map.of("items", List.of("a", "b", "c"), "key", "k1"));
    assertThat(i.jobs()).hasSize(3);

    engine.engine().completeJob(i.jobs().get(0).key(), Map.of());
    engine.settle();
    engine.advance(Duration.ofMinutes(31));

    assertThat(i.jobs()).isEmpty();
    assertThat(i.terminated()).containsExactly("mi1", "mi1", "mi1");
    assertThat(i.activeElements()).containsExactly("user2");
    // The body's output collection lived in the body's scope and ended with it.
    assertThat(i.variables()).doesNotContainKey("out_mi1");
    assertThat(
            i.history().stream()
                .map(EventRecord::event)
                .filter(InstanceEvent.JobCanceled.class::isInstance))
        .hasSize(2);
    engine.assertReplayEquivalent(i.id());
  }

  @Test
  void shouldWithdrawIncidentsAndWaitingJoinTokensWhenCancelled() {
    // and1_fork -> (work2 | user3) -> and1_join
    Instance i =
        start(
            new ProcessShape(
                List.of(new Fork(List.of(List.of(new Work()), List.of(new UserTask()))))),
            Map.of("key", "k1"));
    engine.engine().failJob(i.job("work2").key(), 0, "no retries left", null);
    engine.settle();
    assertThat(i.incidents())
        .singleElement()
        .satisfies(inc -> assertThat(inc.kind()).isEqualTo("JOB_NO_RETRIES"));
    i.completeUserTask("user3", Map.of());
    assertThat(i.state().allJoinArrivals()).isNotEmpty();

    i.cancel();

    assertThat(i.status()).isEqualTo("CANCELED");
    assertThat(i.incidents()).isEmpty();
    assertThat(i.state().incidents()).isEmpty();
    assertThat(i.state().jobs()).isEmpty();
    assertThat(i.state().allJoinArrivals()).isEmpty();
    engine.assertReplayEquivalent(i.id());
  }
}
