package io.cob.model;

import java.util.List;
import java.util.Optional;

/**
 * A parsed, valid BPMN document.
 *
 * @param fileName the name it was read from (used in problem locations)
 * @param xml the document text as given, kept so that it can be served back unchanged
 * @param processes every process of the document, executable or not
 */
public record BpmnDocument(
    String fileName,
    String xml,
    List<ProcessDefinition> processes,
    List<Collaboration> collaborations) {
  public BpmnDocument {
    processes = List.copyOf(processes);
    collaborations = List.copyOf(collaborations);
  }

  public List<ProcessDefinition> executableProcesses() {
    return processes.stream().filter(ProcessDefinition::executable).toList();
  }

  public Optional<ProcessDefinition> process(String id) {
    return processes.stream().filter(p -> p.id().equals(id)).findFirst();
  }
}
