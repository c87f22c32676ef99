package io.cob.connectors.pdf;

import java.time.Instant;
import java.util.List;

/**
 * What a completion report says about one process instance, collected from the store and the job
 * before any layout: the {@link PdfReportRenderer} only draws it.
 *
 * @param processName the deployed process's name, or its id when it has none
 * @param state the instance's state when the report was made (ACTIVE while the report task runs)
 * @param endedAt {@code null} while the instance runs (always, for a report made by a task of it)
 * @param madeAt when the report was made (the node's clock)
 * @param currentElementId the element of the report task: the path ends there
 * @param path the element events of the path, oldest first; when it was too long, the middle is
 *     left out: {@code omittedSteps} steps after the first {@code omittedAfter}
 * @param variables the variables shown, in name order, as display text
 * @param incidents every incident the instance had, open or resolved, oldest first
 */
public record InstanceReport(
    String processId,
    int version,
    String processName,
    String instanceId,
    String businessKey,
    String state,
    String ownerCloud,
    Instant startedAt,
    Instant endedAt,
    Instant madeAt,
    String currentElementId,
    String currentElementName,
    List<PathStep> path,
    int omittedAfter,
    int omittedSteps,
    List<VariableLine> variables,
    List<IncidentLine> incidents) {

  public InstanceReport {
    path = List.copyOf(path);
    variables = List.copyOf(variables);
    incidents = List.copyOf(incidents);
  }

  /**
   * One lifecycle event of an element instance.
   *
   * @param event ACTIVATED, COMPLETED or TERMINATED
   * @param cloud the cloud the element instance ran on (the owner's cloud unless it was placed)
   * @param loopCounter the 1-based iteration inside a multi-instance body, else {@code null}
   */
  public record PathStep(
      Instant at,
      String elementId,
      String elementName,
      String elementType,
      String event,
      String cloud,
      Integer loopCounter) {}

  /** A variable as shown: its name and its value as text (truncated, blobs described). */
  public record VariableLine(String name, String value) {}

  /**
   * An incident.
   *
   * @param resolvedAt {@code null} while it is open
   */
  public record IncidentLine(
      Instant createdAt, Instant resolvedAt, String elementId, String kind, String message) {}
}
