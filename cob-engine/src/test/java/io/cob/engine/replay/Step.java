package io.cob.engine.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One random step of a driver. The step says what kind of action it wants and carries the random
 * choices the action may need; which job, task or incident it hits is decided against the state the
 * instance is in when the step runs ({@code pick} modulo the number of candidates). A step whose
 * kind has no candidate takes another kind that has one (never a cancel), again by {@code pick}.
 *
 * @param x the value of {@code x} sent along with completions and messages, or {@code null} for
 *     none
 * @param retries retries left after a failure (0 raises an incident)
 * @param errorCode a code thrown by a job; {@code E9} is declared nowhere, so never caught
 * @param matchingKey whether a published message carries the instance's correlation key
 * @param minutes how far the clock moves, and (when not a multiple of 3) a message's time to live
 * @param extra a further variable sent along with completions, errors and messages
 */
record Step(
    Kind kind,
    int pick,
    Integer x,
    int retries,
    String errorCode,
    String message,
    boolean matchingKey,
    int minutes,
    Extra extra) {

  enum Kind {
    COMPLETE_JOB,
    FAIL_JOB,
    THROW_ERROR,
    COMPLETE_USER_TASK,
    PUBLISH_MESSAGE,
    ADVANCE_CLOCK,
    RESOLVE_INCIDENT,
    CANCEL
  }

  /** Variables beyond {@code x} that exercise scoping and structured values. */
  enum Extra {
    NONE,
    /** A new {@code items}: later multi-instance activities iterate it. */
    ITEMS,
    /** A nested context with a list inside, which must survive the log unchanged. */
    NESTED,
    /** {@code item}, which multi-instance inner instances declare locally. */
    ITEM
  }

  Map<String, Object> variables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (x != null) {
      vars.put("x", x);
    }
    switch (extra) {
      case NONE -> {}
      case ITEMS -> vars.put("items", List.of("p", "q", "r").subList(0, pick % 4));
      case NESTED -> {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("n", pick);
        data.put("tags", new ArrayList<>(List.of("t" + minutes, pick % 2 == 0)));
        data.put("none", null);
        vars.put("data", data);
      }
      case ITEM -> vars.put("item", "changed-" + pick);
    }
    return vars;
  }

  Duration advance() {
    return Duration.ofMinutes(minutes).plusSeconds(pick % 60);
  }

  Duration timeToLive() {
    return minutes % 3 == 0 ? Duration.ZERO : Duration.ofMinutes(minutes);
  }
}
