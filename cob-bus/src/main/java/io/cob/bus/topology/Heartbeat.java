package io.cob.bus.topology;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cob.bus.BusCounters.Traffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payload of a {@code heartbeat} envelope, as JSON:
 *
 * <pre>
 * {"node":"node-1","cloud":"private","sentAt":1767225600000,
 *  "echo":[{"node":"node-7","sentAt":1767225599000,"heldMillis":412}],
 *  "view":{"public-a":"UP","public-b":"SUSPECT"},
 *  "instances":{"owned":120,"standby":37},
 *  "sent":{"*":{"messages":900,"bytes":180000},"public-a":{"messages":42,"bytes":9120}}}
 * </pre>
 *
 * {@code sentAt} is the sender's clock in epoch milliseconds. {@code echo} returns, for every node
 * heard since the previous heartbeat, that node's own {@code sentAt} and how long the sender held
 * it before echoing: the node receiving its echo computes the round trip as {@code now - sentAt -
 * heldMillis}, all on its own clock, so clock skew between the nodes does not enter. {@code view}
 * is the sender's health of every cloud. {@code instances} and {@code sent} are its {@link
 * NodeReport}: its cloud's running instances (absent until counted) and what it sent on the bus by
 * target cloud since it started. Unknown fields are ignored (newer senders), missing ones are empty
 * (older senders), and negative numbers in them are dropped rather than the heartbeat: its first
 * job is to tell that its node is alive.
 */
record Heartbeat(
    String node,
    String cloud,
    long sentAt,
    List<Echo> echo,
    Map<String, CloudHealth> view,
    InstanceCounts instances,
    Map<String, Traffic> sent) {

  static final String TYPE = "heartbeat";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  Heartbeat {
    if (node == null || node.isBlank() || cloud == null || cloud.isBlank()) {
      throw new IllegalArgumentException("heartbeat without node or cloud");
    }
    echo = echo == null ? List.of() : List.copyOf(echo);
    view = view == null ? Map.of() : Map.copyOf(view);
    if (instances != null && (instances.owned() < 0 || instances.standby() < 0)) {
      instances = null;
    }
    Map<String, Traffic> valid = new TreeMap<>();
    if (sent != null) {
      sent.forEach(
          (target, t) -> {
            if (target != null && t != null && t.messages() >= 0 && t.bytes() >= 0) {
              valid.put(target, t);
            }
          });
    }
    sent = Collections.unmodifiableMap(valid);
  }

  /** What the sender reported besides its health view. */
  NodeReport report() {
    return new NodeReport(instances, new TreeMap<>(sent));
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
