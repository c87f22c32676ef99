package io.cob.bus.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The payload of a {@code heartbeat} envelope, as JSON:
 *
 * <pre>
 * {"node":"node-1","cloud":"private","sentAt":1767225600000,
 *  "echo":[{"node":"node-7","sentAt":1767225599000,"heldMillis":412}],
 *  "view":{"public-a":"UP","public-b":"SUSPECT"}}
 * </pre>
 *
 * {@code sentAt} is the sender's clock in epoch milliseconds. {@code echo} returns, for every node
 * heard since the previous heartbeat, that node's own {@code sentAt} and how long the sender held
 * it before echoing: the node receiving its echo computes the round trip as {@code now - sentAt -
 * heldMillis}, all on its own clock, so clock skew between the nodes does not enter. {@code view}
 * is the sender's health of every cloud. Unknown fields are ignored (newer senders).
 */
record Heartbeat(
    String node, String cloud, long sentAt, List<Echo> echo, Map<String, CloudHealth> view) {

  static final String TYPE = "heartbeat";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  Heartbeat {
    if (node == null || node.isBlank() || cloud == null || cloud.isBlank()) {
      throw new IllegalArgumentException("heartbeat without node or cloud");
    }
    echo = echo == null ? List.of() : List.copyOf(echo);
    view = view == null ? Map.of() : Map.copyOf(view);
  }

  /** A node's own send time echoed back to it. */
  record Echo(String node, long sentAt, long heldMillis) {}

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a heartbeat
   */
  static Heartbeat fromJson(byte[] json) {
    try {
      return JSON.readValue(json, Heartbeat.class);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a heartbeat: " + e.getMessage(), e);
    }
  }
}
