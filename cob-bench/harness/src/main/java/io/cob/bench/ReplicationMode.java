package io.cob.bench;

import java.util.Locale;

/**
 * The replication modes of a cloud with a standby ({@code clouds.NAME.replication}), each measured
 * by the FAILOVER workload: in {@code async} a command is answered once the owner committed it; in
 * {@code sync} once the standby stored its events too.
 */
public enum ReplicationMode {
  ASYNC,
  SYNC;

  /** As {@code cob.yaml} spells it. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ReplicationMode parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "async" -> ASYNC;
      case "sync" -> SYNC;
      default ->
          throw new IllegalArgumentException(
              "unknown replication mode '" + text + "' (async, sync)");
    };
  }
}
