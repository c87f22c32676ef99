package io.cob.model;

import java.util.List;

/**
 * Input and output variable mappings of an element. Inputs are evaluated on activation in the
 * parent scope and set as local variables of the element; outputs are evaluated on completion in
 * the element's scope and set in the parent scope.
 */
public record IoMapping(List<Mapping> inputs, List<Mapping> outputs) {
  public static final IoMapping NONE = new IoMapping(List.of(), List.of());

  public IoMapping {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  public boolean isEmpty() {
    return inputs.isEmpty() && outputs.isEmpty();
  }

  /**
   * One mapping: evaluate {@code source}, assign to {@code target} (a variable name, or a dotted
   * path {@code a.b.c} into a context).
   */
  public record Mapping(Expression source, String target) {}
}
