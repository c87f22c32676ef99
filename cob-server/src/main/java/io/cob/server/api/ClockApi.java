package io.cob.server.api;

import io.cob.engine.Engine;
import io.cob.server.clock.DevClock;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /clock/advance}: on a node started with {@code --dev-clock}, moves the engine clock
 * forward, fires every timer that became due (again and again while firing makes more due) and
 * answers once the node is idle, with the new time. 404 on any other node: production clocks are
 * not for moving.
 */
public final class ClockApi {
  public static final Duration MAX_ADVANCE = Duration.ofDays(3660);
  private static final int MAX_ROUNDS = 100;

  private final Engine engine;
  private final DevClock clock;

  /**
   * @param clock {@code null} when the node runs on the real clock
   */
  public ClockApi(Engine engine, DevClock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  public void register(Router r) {
    r.post("/api/v1/clock/advance", this::advance);
  }

  public record AdvanceRequest(Duration duration) {}

  public record Advanced(Instant now, Duration offset, int fired) {}

  Reply advance(Call call) throws Exception {
    call.allowQuery();
    if (clock == null) {
      throw ProblemException.notFound(
          "the clock can only be moved on a node started with --dev-clock");
    }
    AdvanceRequest req = call.json(AdvanceRequest.class, true);
    Duration d = Fields.duration(req.duration(), "duration", Duration.ZERO, MAX_ADVANCE);
    Instant now = clock.advance(d);
    int fired = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      int n = engine.tick();
      engine.awaitIdle(Duration.ofSeconds(30));
      if (n == 0) {
        break;
      }
      fired += n;
    }
    return Reply.ok(new Advanced(now, clock.offset(), fired));
  }
}
