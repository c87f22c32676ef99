package io.cob.model.parse;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reports execution and task listeners. They are code attached to an element (Java classes or
 * scripts in Camunda 7, Flowable and Activiti; job workers in Camunda 8) that cob would never run;
 * ignoring them like other vendors' extensions would silently change what the model does.
 */
final class ListenerCheck {
  private static final Set<String> CLASSIC_LISTENERS = Set.of("executionListener", "taskListener");
  private static final Set<String> ZEEBE_LISTENERS = Set.of("executionListeners", "taskListeners");

  private ListenerCheck() {}

  /** Reports each kind of listener written on {@code element} once. */
  static void check(ParseContext ctx, XmlElement element) {
    for (String name :
        new LinkedHashSet<>(
            element.extensionElements().stream()
                .filter(ListenerCheck::isListener)
                .map(XmlElement::displayName)
                .toList())) {
      ctx.problem(element, "listeners are not supported (" + name + ")");
    }
  }

  private static boolean isListener(XmlElement ext) {
    return (Namespaces.CLASSIC.contains(ext.namespace())
            && CLASSIC_LISTENERS.contains(ext.localName()))
        || (ext.namespace().equals(Namespaces.ZEEBE) && ZEEBE_LISTENERS.contains(ext.localName()));
  }
}
