package io.cob.model;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when one or more BPMN documents are invalid; carries every problem found, in order. */
public final class BpmnValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Problem> problems;

  public BpmnValidationException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
