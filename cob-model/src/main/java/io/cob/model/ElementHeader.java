package io.cob.model;

import java.util.Map;

/**
 * What every flow node has.
 *
 * @param id the element id (unique in its document)
 * @param name the display name, or {@code null}
 * @param scopeId the id of the enclosing scope: the process id for top-level elements, else the id
 *     of the enclosing subProcess
 * @param tag the BPMN local name of the XML element ({@code serviceTask}, {@code startEvent}...)
 * @param location where it was written
 * @param extensions cob-level attributes read from the {@code urn:cob:bpmn:1} namespace or their
 *     vendor equivalents, e.g. {@code cloud}, {@code placement}; never {@code null}
 */
public record ElementHeader(
    String id,
    String name,
    String scopeId,
    String tag,
    SourceLocation location,
    Map<String, String> extensions) {
  public ElementHeader {
    extensions = Map.copyOf(extensions);
  }
}
