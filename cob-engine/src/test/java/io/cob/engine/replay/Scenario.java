package io.cob.engine.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A random process, the variables an instance of it starts with, and the steps a driver takes.
 *
 * @param x the start value of {@code x}, or {@code null} to leave it unset (conditions on it then
 *     do not hold)
 * @param items the collection multi-instance tasks iterate
 * @param key the correlation key of the instance's message subscriptions
 */
record Scenario(ProcessShape shape, Integer x, List<String> items, String key, List<Step> steps) {

  String xml() {
    return ShapeXml.toXml(shape);
  }

  Map<String, Object> startVariables() {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (x != null) {
      vars.put("x", x);
    }
    vars.put("items", items);
    vars.put("key", key);
    return vars;
  }

  @Override
  public String toString() {
    return "Scenario["
        + shape.size()
        + " blocks "
        + shape.body()
        + "; start "
        + startVariables()
        + "; steps "
        + steps.stream().map(Step::toString).collect(Collectors.joining(", "))
        + "]";
  }
}
