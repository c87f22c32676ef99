package io.cob.model;

import java.util.List;
import java.util.Map;

/**
 * A lane of a process. Its name (or {@code cob:cloud} in {@code extensions}) may name the cloud its
 * nodes run in.
 */
public record Lane(
    String id,
    String name,
    List<String> flowNodeIds,
    Map<String, String> extensions,
    SourceLocation location) {
  public Lane {
    flowNodeIds = List.copyOf(flowNodeIds);
    extensions = Map.copyOf(extensions);
  }
}
