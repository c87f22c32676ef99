package io.cob.model;

/**
 * One validation problem of a BPMN document. Its {@link #toString()} is the line that {@code cob
 * validate} prints: {@code FILE:LINE:COL: element 'ID' (<tag>): message}.
 *
 * @param elementId the id of the offending element, or {@code null} when it has none
 * @param tag the local name of the offending XML element, or {@code null} for document-level
 *     problems (malformed XML, size limit)
 */
public record Problem(SourceLocation location, String elementId, String tag, String message) {

  @Override
  public String toString() {
    String id = elementId == null ? "" : elementId;
    String t = tag == null ? "document" : tag;
    return location + ": element '" + id + "' (<" + t + ">): " + message;
  }
}
