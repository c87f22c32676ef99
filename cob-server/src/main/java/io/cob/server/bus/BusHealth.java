package io.cob.server.bus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's connection to the bus is usable, as {@code /health} reports it: {@code UP}
 * while connected; {@code RECONNECTING} while it has been lost for less than the grace period
 * ({@code bus.healthGrace}; the transport reconnects by itself, and a short broker blip should not
 * make a load balancer drop the node); {@code DOWN} once lost for longer.
 *
 * <p>The loss is timed from the first {@link #check()} that saw it: the node checks at every
 * heartbeat interval, so the error is at most one interval. Thread-safe.
 */
public final class BusHealth {
  private static final Logger LOG = LoggerFactory.getLogger(BusHealth.class);

  private final BooleanSupplier connected;
  private final Duration grace;
  private final Clock clock;
  private final String nodeId;
  private Instant lostSince;
  private Instant upSince;

  /**
   * @param connected whether the transport is connected now (cheap, non-blocking)
   * @param grace how long a loss is tolerated before DOWN
   * @param clock real time (never a dev clock: an outage is measured in real seconds)
   */
  public BusHealth(BooleanSupplier connected, Duration grace, Clock clock, String nodeId) {
    this.connected = connected;
    this.grace = grace;
    this.clock = clock;
    this.nodeId = nodeId;
    this.upSince = clock.instant();
  }

  /** The connection's state. */
  public enum Status {
    UP,
    RECONNECTING,
    DOWN
  }

  /**
   * The state now.
   *
   * @param lostSince when the connection was found lost, or {@code null} while connected
   */
  public record State(Status status, Instant lostSince) {}

  /**
   * How long the connection has been up without a loss seen, since the node joined or the
   * connection came back; zero while it is lost. Heartbeats of other clouds need a few intervals
   * after a reconnection before their health means anything again.
   */
  public synchronized Duration stableFor() {
    State state = check();
    return state.status() == Status.UP ? Duration.between(upSince, clock.instant()) : Duration.ZERO;
  }

  /** Looks at the connection now, and remembers when it was first found lost. */
  public synchronized State check() {
    Instant now = clock.instant();
    if (connected.getAsBoolean()) {
      if (lostSince != null) {
        LOG.info(
            "event=bus_connection_restored node={} after={}",
            nodeId,
            Duration.between(lostSince, now));
        lostSince = null;
        upSince = now;
      }
      return new State(Status.UP, null);
    }
    if (lostSince == null) {
      lostSince = now;
      LOG.warn("event=bus_connection_lost node={} grace={}", nodeId, grace);
    }
    boolean down = Duration.between(lostSince, now).compareTo(grace) >= 0;
    return new State(down ? Status.DOWN : Status.RECONNECTING, lostSince);
  }
}
