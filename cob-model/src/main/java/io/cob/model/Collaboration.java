package io.cob.model;

import java.util.List;

/** A collaboration: pools (participants) and the message flows between them. Kept for placement. */
public record Collaboration(
    String id, List<Participant> participants, List<MessageFlow> messageFlows) {
  public Collaboration {
    participants = List.copyOf(participants);
    messageFlows = List.copyOf(messageFlows);
  }

  /** A pool; {@code processId} is {@code null} for a black-box pool. */
  public record Participant(String id, String name, String processId) {}

  /** A message flow between two pools or their nodes. */
  public record MessageFlow(
      String id, String name, String sourceId, String targetId, String messageId) {}
}
