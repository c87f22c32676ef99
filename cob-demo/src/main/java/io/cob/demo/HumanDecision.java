package io.cob.demo;

import java.util.Map;

/**
 * What the demo does in place of a person at a user task: who acts, how the trace says it, and the
 * variables the task is completed with.
 *
 * @param actor who, e.g. {@code the clinician}
 * @param action what they do, e.g. {@code approves: tests requested}
 * @param variables the completion variables (they pass through the task's output mapping)
 */
public record HumanDecision(String actor, String action, Map<String, Object> variables) {
  public HumanDecision {
    variables = Map.copyOf(variables);
  }
}
