package io.cob.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Instance histories read through a node's API ({@code GET /api/v1/instances/{id}/history}), and
 * the comparisons fail-over tests make between two clouds' copies of one history.
 *
 * <p>Two copies hold the same event when they agree on everything the log records: sequence number,
 * type, element, time and data. The item's {@code cloud} is left out: for an element that is not
 * placed it is the instance's <i>current</i> owner cloud, which differs between the old owner's
 * copy and the new owner's for the very same event.
 */
public final class Histories {
  private Histories() {}

  /** The history of an instance at a node, in order. */
  public static List<JsonNode> read(Api api, String instanceId) {
    Api.Res r = api.get("/api/v1/instances/" + instanceId + "/history");
    if (r.status() != 200) {
      throw new AssertionError("history of " + instanceId + " at " + api.base() + ": " + r);
    }
    List<JsonNode> out = new ArrayList<>();
    r.json().forEach(out::add);
    return out;
  }

  /** Whether two items are the same event of the log. */
  public static boolean sameEvent(JsonNode a, JsonNode b) {
    return a.get("seq").asLong() == b.get("seq").asLong()
        && a.get("type").asText().equals(b.get("type").asText())
        && Objects.equals(a.get("elementId"), b.get("elementId"))
        && Objects.equals(a.get("at"), b.get("at"))
        && Objects.equals(a.get("data"), b.get("data"));
  }

  /** How many items from the start the two copies have in common. */
  public static int commonPrefix(List<JsonNode> a, List<JsonNode> b) {
    int n = 0;
    while (n < a.size() && n < b.size() && sameEvent(a.get(n), b.get(n))) {
      n++;
    }
    return n;
  }

  /** Whether {@code prefix} is the beginning of {@code history}. */
  public static boolean isPrefix(List<JsonNode> prefix, List<JsonNode> history) {
    return prefix.size() <= history.size() && commonPrefix(prefix, history) == prefix.size();
  }

  /** The position of the first item of that type, or -1. */
  public static int indexOf(List<JsonNode> history, String type) {
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).get("type").asText().equals(type)) {
        return i;
      }
    }
    return -1;
  }

  /** When the event of an item was committed. */
  public static Instant at(JsonNode item) {
    return Instant.parse(item.get("at").asText());
  }

  /** The two copies side by side from where they part, for a failure message. */
  public static String diff(List<JsonNode> a, List<JsonNode> b) {
    int common = commonPrefix(a, b);
    StringBuilder out = new StringBuilder("same for " + common + " items, then:");
    for (int i = common; i < Math.max(a.size(), b.size()) && i < common + 4; i++) {
      out.append("\n  ")
          .append(i < a.size() ? brief(a.get(i)) : "-")
          .append("  |  ")
          .append(i < b.size() ? brief(b.get(i)) : "-");
    }
    return out.toString();
  }

  private static String brief(JsonNode item) {
    return item.get("seq").asText()
        + " "
        + item.get("type").asText()
        + " "
        + item.path("elementId").asText("")
        + " "
        + item.path("at").asText("")
        + " "
        + item.path("data");
  }
}
