package io.cob.engine.processor;

import io.cob.model.ProcessDefinition;
import java.util.Optional;

/** Finds deployed process definitions for the processor (a cache in front of the store). */
public interface ProcessLookup {
  /** A process by id and version; version {@code 0} means the latest. */
  Optional<Deployed> find(String processId, int version);

  /** Whether any version of a process is deployed. */
  default boolean exists(String processId) {
    return find(processId, 0).isPresent();
  }

  /** A parsed definition with its version number. */
  record Deployed(ProcessDefinition definition, int version) {}
}
