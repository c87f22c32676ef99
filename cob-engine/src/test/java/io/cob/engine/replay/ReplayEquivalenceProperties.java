package io.cob.engine.replay;

import io.cob.engine.EngineHarness;
import io.cob.engine.event.InstanceEvent;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * An instance's state is a pure function of its event log: for random block-structured processes
 * driven along random paths, the state rebuilt by replaying the log equals the stored state after
 * every step.
 *
 * <p>On a failure jqwik prints the seed and the shrunk scenario; the error message holds the BPMN
 * XML and the steps as they were taken, so the case can be rebuilt as an example test.
 */
class ReplayEquivalenceProperties {

  @Property(tries = 500)
  void stateRebuiltFromTheLogEqualsTheStoredStateAfterEveryStep(
      @ForAll("scenarios") Scenario scenario) {
    // EngineHarness is a JUnit Jupiter extension, which jqwik does not run: one engine per try,
    // closed here.
    EngineHarness harness = new EngineHarness();
    try {
      ScenarioDriver driver = new ScenarioDriver(harness);
      driver.run(scenario);
      collectStatistics(scenario, harness, driver.instanceId());
    } finally {
      harness.close();
    }
    // The generator and driver must keep reaching the interesting parts of the engine.
    Statistics.label("events")
        .coverage(
            c -> {
              for (String type :
                  List.of(
                      "TimerTriggered",
                      "MessageCorrelated",
                      "JobErrorThrown",
                      "IncidentCreated",
                      "IncidentResolved",
                      "JobRetriesUpdated",
                      "MultiInstanceStarted",
                      "TokenArrivedAtJoin",
                      "ElementTerminated",
                      "StepPlaced")) {
                c.check(type).count(n -> n >= 5);
              }
            });
  }

  private static void collectStatistics(
      Scenario scenario, EngineHarness harness, String instanceId) {
    Statistics.label("instance status")
        .collect(harness.engine().instance(instanceId).orElseThrow().status());
    Statistics.label("blocks")
        .collect(
            scenario.shape().size() < 5
                ? "1-4"
                : scenario.shape().size() < 10
                    ? "5-9"
                    : scenario.shape().size() < 15 ? "10-14" : "15");
    // Each feature and event type once per try: the tables read "in how many tries".
    scenario.shape().features().forEach(f -> Statistics.label("model features").collect(f));
    harness.store().history(instanceId).stream()
        .map(r -> r.event().getClass().getSimpleName())
        .distinct()
        .sorted()
        .forEach(type -> Statistics.label("events").collect(type));
    harness.store().history(instanceId).stream()
        .map(r -> r.event())
        .filter(InstanceEvent.IncidentCreated.class::isInstance)
        .map(e -> ((InstanceEvent.IncidentCreated) e).kind())
        .distinct()
        .forEach(kind -> Statistics.label("incident kinds").collect(kind));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    // Without x every condition on it raises an EXPRESSION incident (FEEL cannot compare null), and
    // resolving it only raises it again: worth a few tries, not many.
    Arbitrary<Integer> x = Arbitraries.integers().between(-2, 12).injectNull(0.05);
    Arbitrary<List<String>> items = Arbitraries.of("a", "b", "c").list().ofMaxSize(3);
    Arbitrary<String> key = Arbitraries.of("k1", "k2");
    Arbitrary<List<Step>> steps = steps().list().ofMinSize(10).ofMaxSize(40);
    return Combinators.combine(ShapeArbitraries.shapes(), x, items, key, steps).as(Scenario::new);
  }

  static Arbitrary<Step> steps() {
    // Cancelling ends the run, so it is rare: a few tries in a hundred cancel their instance.
    // (Without
    // edge cases: jqwik would mix in the last value, CANCEL, far more often than its weight says.)
    Arbitrary<Step.Kind> kind =
        Arbitraries.frequency(
                Tuple.of(120, Step.Kind.COMPLETE_JOB),
                Tuple.of(28, Step.Kind.FAIL_JOB),
                Tuple.of(28, Step.Kind.THROW_ERROR),
                Tuple.of(60, Step.Kind.COMPLETE_USER_TASK),
                Tuple.of(40, Step.Kind.PUBLISH_MESSAGE),
                Tuple.of(60, Step.Kind.ADVANCE_CLOCK),
                Tuple.of(50, Step.Kind.RESOLVE_INCIDENT),
                Tuple.of(1, Step.Kind.CANCEL))
            .withoutEdgeCases();
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 999);
    Arbitrary<Integer> x = Arbitraries.integers().between(-2, 12).injectNull(0.3);
    Arbitrary<Integer> retries = Arbitraries.integers().between(0, 2);
    Arbitrary<String> errorCode = Arbitraries.of("E1", "E2", "E9");
    // A message name and whether it carries the instance's correlation key.
    Arbitrary<Tuple.Tuple2<String, Boolean>> message =
        Combinators.combine(
                Arbitraries.of(ProcessShape.MESSAGES),
                Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)))
            .as(Tuple::of);
    // Around the timer durations the models use (5 minutes to 2 hours), on both sides of them.
    Arbitrary<Integer> minutes = Arbitraries.of(1, 4, 5, 10, 20, 30, 59, 61, 90, 121, 150);
    Arbitrary<Step.Extra> extra =
        Arbitraries.frequency(
            Tuple.of(10, Step.Extra.NONE),
            Tuple.of(1, Step.Extra.ITEMS),
            Tuple.of(1, Step.Extra.NESTED),
            Tuple.of(1, Step.Extra.ITEM));
    return Combinators.combine(kind, pick, x, retries, errorCode, message, minutes, extra)
        .as((k, p, xv, r, e, m, min, ex) -> new Step(k, p, xv, r, e, m.get1(), m.get2(), min, ex));
  }
}
