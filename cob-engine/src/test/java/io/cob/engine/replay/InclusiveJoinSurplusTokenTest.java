package io.cob.engine.replay;

import static io.cob.engine.TestModels.process;
import static io.cob.engine.TestModels.serviceTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.EngineHarness;
import io.cob.engine.EngineHarness.Instance;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Found by {@link ReplayEquivalenceProperties} once non-interrupting boundary handlers could lead
 * back into the flow: two tokens reach an inclusive join over the same incoming flow, one after the
 * other. The join fires once and keeps the second token waiting "for the next round", but nothing
 * ever starts that round: the instance stays active with no element, no job, no timer and no
 * incident. By BPMN 2.0 (inclusive join: it activates when some incoming flow holds a token and no
 * other token can still reach it) the remaining token must pass as well.
 *
 * <p>The log replays to the stored state; the fault is that the instance can never move on. Until
 * the engine is fixed this test fails, and {@link ShapeArbitraries#limitRejoins} keeps the
 * property's models clear of the case.
 */
class InclusiveJoinSurplusTokenTest {
  @RegisterExtension final EngineHarness engine = new EngineHarness();

  @Test
  void shouldLetASecondTokenOnTheSameFlowPassAnInclusiveJoinWhenNothingElseCanReachIt() {
    // split takes a (x > 0) but not its default flow to the join; the reminder of a and a itself
    // both go on over m, so two tokens arrive at the join over the one flow m->join.
    engine.deploy(
        process(
            "p",
            """
        <startEvent id="s"/><inclusiveGateway id="split" default="split_join"/>
        """
                + serviceTask("a", "work")
                + """
        <boundaryEvent id="remind" attachedToRef="a" cancelActivity="false">
          <timerEventDefinition><timeDuration>PT5M</timeDuration></timerEventDefinition>
        </boundaryEvent>
        <exclusiveGateway id="m"/><inclusiveGateway id="join"/><endEvent id="e"/>
        """,
            "s->split",
            "split->a if =x > 0",
            "split->join",
            "a->m",
            "remind->m",
            "m->join",
            "join->e"));
    Instance i = engine.start("p", Map.of("x", 5));

    engine.advance(Duration.ofMinutes(6));
    // the reminder's token waits at the join: a can still reach it
    assertThat(i.state().joinArrivals(1, "join")).containsExactly("m_join");

    i.completeJob("a", Map.of());

    assertThat(i.state().allJoinArrivals()).as("tokens left waiting at joins").isEmpty();
    assertThat(i.status()).isEqualTo("COMPLETED");
  }
}
