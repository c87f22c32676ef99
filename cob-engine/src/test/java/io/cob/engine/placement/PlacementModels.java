package io.cob.engine.placement;

import static io.cob.engine.TestModels.definitions;
import static io.cob.engine.TestModels.flows;

import io.cob.engine.EngineHarness.Instance;
import io.cob.engine.TestClouds;
import io.cob.engine.event.EventRecord;
import io.cob.engine.event.InstanceEvent.ElementActivated;
import io.cob.engine.event.InstanceEvent.StepPlaced;
import java.util.List;

/** Models, clouds and history look-ups shared by the placement tests. */
final class PlacementModels {
  private PlacementModels() {}

  /**
   * Three clouds: {@code private} (eu, gdpr; 0.004 per step; 99.5 %; 5 ms), {@code public-a} (us;
   * 0.001; 99.99 %; 40 ms), {@code public-b} (eu; 0.002; 99.9 %; 20 ms).
   */
  static TestClouds threeClouds() {
    return new TestClouds()
        .add("private", "eu,gdpr", "0.004", "99.5", 5)
        .add("public-a", "us", "0.001", "99.99", 40)
        .add("public-b", "eu", "0.002", "99.9", 20);
  }

  /**
   * Process {@code p}: start, service task {@code task} (job type {@code work}, no handler: its job
   * waits), end.
   *
   * @param processAttributes attributes of {@code <process>}, e.g. {@code cob:cloud="private"}
   * @param laneSet a {@code <laneSet>} (see {@link #lane}), or {@code ""}
   * @param taskAttributes attributes of the service task
   */
  static String model(String processAttributes, String laneSet, String taskAttributes) {
    return definitions(
        "<process id=\"p\" isExecutable=\"true\" "
            + processAttributes
            + ">\n"
            + laneSet
            + "<startEvent id=\"s\"/>\n"
            + "<serviceTask id=\"task\" "
            + taskAttributes
            + "><extensionElements><zeebe:taskDefinition type=\"work\"/></extensionElements>"
            + "</serviceTask>\n"
            + "<endEvent id=\"e\"/>\n"
            + flows("s->task", "task->e")
            + "</process>\n");
  }

  /** A lane set with one lane that holds {@code task}. */
  static String lane(String id, String name, String attributes) {
    return "<laneSet id=\"ls\"><lane id=\""
        + id
        + "\" name=\""
        + name
        + "\" "
        + attributes
        + "><flowNodeRef>task</flowNodeRef></lane></laneSet>\n";
  }

  /** Every placement decision of an instance, in order. */
  static List<StepPlaced> placements(Instance i) {
    return i.history().stream()
        .map(EventRecord::event)
        .filter(StepPlaced.class::isInstance)
        .map(StepPlaced.class::cast)
        .toList();
  }

  /** The activation of an element. */
  static ElementActivated activation(Instance i, String elementId) {
    return i.history().stream()
        .map(EventRecord::event)
        .filter(e -> e instanceof ElementActivated a && a.elementId().equals(elementId))
        .map(ElementActivated.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
