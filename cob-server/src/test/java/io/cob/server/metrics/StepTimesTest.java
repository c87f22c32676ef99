package io.cob.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.state.EventApplier;
import io.cob.engine.state.InstanceState;
import io.cob.server.metrics.StepTimes.StepEnd;
import io.cob.server.metrics.StepTimes.Timed;
import io.cob.server.metrics.StepTimes.Untimed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Steps timed from the committed log of one instance, command by command. */
class StepTimesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final StepTimes times = new StepTimes("private", 100);
  private final InstanceState state = new InstanceState();
  private long seq;

  /** Commits one command's events at {@code at}: applies them, then shows them to the timer. */
  private List<StepEnd> commit(Instant at, InstanceEvent... events) {
    List<EventRecord> records = new ArrayList<>();
    for (InstanceEvent e : events) {
      EventRecord r = new EventRecord(++seq, at, e);
      EventApplier.apply(state, r);
      records.add(r);
    }
    return times.observe(state, records);
  }

  private static InstanceEvent created() {
    return new InstanceEvent.InstanceCreated("i-1", "order", 1, null, null, 0, "private", Map.of());
  }

  private static InstanceEvent activated(long key, String type) {
    return new InstanceEvent.ElementActivated(key, "e" + key, type, 1, null, null, List.of(), null);
  }

  private static InstanceEvent job(long jobKey, long elementKey, String cloud) {
    return new InstanceEvent.JobCreated(
        jobKey, elementKey, "e" + elementKey, "w", 3, Map.of(), cloud);
  }

  private static InstanceEvent completed(long jobKey) {
    return new InstanceEvent.JobCompleted(jobKey, "e", Map.of());
  }

  private static InstanceEvent ranOn(long jobKey, String cloud) {
    return new InstanceEvent.JobRanRemotely(jobKey, "e", cloud, "n", T0, T0, T0, T0, T0, T0);
  }

  @Test
  void shouldTimeALocalStepFromItsJobCreatedToCompleted() {
    commit(T0, created(), activated(1, "process"), activated(2, "serviceTask"), job(3, 2, null));

    List<StepEnd> ended = commit(T0.plusMillis(1500), completed(3));

    assertThat(ended)
        .containsExactly(
            new Timed("order", "serviceTask", "private", false, Duration.ofMillis(1500)));
    assertThat(times.open()).isZero();
  }

  @Test
  void shouldTimeAStepThatRanOnAnotherCloudAsRemote() {
    commit(T0, created(), activated(2, "sendTask"), job(3, 2, "public-a"));

    List<StepEnd> ended = commit(T0.plusSeconds(2), ranOn(3, "public-a"), completed(3));

    assertThat(ended)
        .containsExactly(new Timed("order", "sendTask", "public-a", true, Duration.ofSeconds(2)));
  }

  @Test
  void shouldTimeAStepPlacedAgainFromItsFirstJob() {
    commit(T0, created(), activated(2, "serviceTask"), job(3, 2, "public-a"));
    commit(
        T0.plusSeconds(10),
        new InstanceEvent.JobCanceled(3, "e2"),
        new InstanceEvent.StepPlaced(2, "e2", "public-b", "public-a DOWN", List.of(), List.of()),
        job(4, 2, "public-b"));

    List<StepEnd> ended = commit(T0.plusSeconds(12), ranOn(4, "public-b"), completed(4));

    assertThat(ended)
        .containsExactly(
            new Timed("order", "serviceTask", "public-b", true, Duration.ofSeconds(12)));
  }

  @Test
  void shouldForgetAStepWhoseJobWasCanceledForGood() {
    commit(T0, created(), activated(2, "serviceTask"), job(3, 2, null));

    commit(T0.plusSeconds(1), new InstanceEvent.JobCanceled(3, "e2"));

    assertThat(times.open()).isZero();
  }

  @Test
  void shouldForgetTheStepsOfAnInstanceThatEnded() {
    commit(
        T0,
        created(),
        activated(2, "serviceTask"),
        job(3, 2, null),
        activated(4, "serviceTask"),
        job(5, 4, null));
    assertThat(times.open()).isEqualTo(2);

    commit(T0.plusSeconds(1), new InstanceEvent.InstanceEnded("CANCELED"));

    assertThat(times.open()).isZero();
  }

  @Test
  void shouldReportAStepItDidNotSeeStartAsUntimed() {
    commit(T0, created());

    assertThat(commit(T0.plusSeconds(1), completed(9))).containsExactly(new Untimed("order"));
  }

  @Test
  void shouldRememberNoMoreThanItsLimit() {
    StepTimes small = new StepTimes("private", 1);
    List<EventRecord> start =
        List.of(
            new EventRecord(1, T0, created()),
            new EventRecord(2, T0, activated(2, "serviceTask")),
            new EventRecord(3, T0, job(3, 2, null)),
            new EventRecord(4, T0, activated(4, "serviceTask")),
            new EventRecord(5, T0, job(5, 4, null)));
    start.forEach(r -> EventApplier.apply(state, r));
    small.observe(state, start);

    assertThat(small.open()).isEqualTo(1);
    assertThat(small.observe(state, List.of(new EventRecord(6, T0, completed(5)))))
        .containsExactly(new Untimed("order"));
    assertThat(small.observe(state, List.of(new EventRecord(7, T0, completed(3)))))
        .hasOnlyElementsOfType(Timed.class)
        .hasSize(1);
  }
}
