package io.cob.server.api;

import io.cob.bus.topology.CloudView;
import io.cob.bus.topology.NodeView;
import io.cob.server.clouds.NodeCloudDirectory;
import io.cob.server.clouds.NodeCloudDirectory.CloudStatus;
import io.cob.server.config.CloudConfig;
import io.cob.server.http.Call;
import io.cob.server.http.Reply;
import io.cob.server.http.Router;
import io.cob.server.problem.ProblemException;
import io.cob.server.replication.OwnershipGuard;
import io.cob.server.replication.Replication;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/clouds}: every cloud this node knows, with its configured attributes and its
 * health as this node sees it (from heartbeats): the configured clouds in file order, this node's
 * own, then clouds heard on the bus but not configured ({@code "configured": false}).
 *
 * <p>Beyond the API contract's fields each cloud has {@code latencyMs} (estimated one-way bus
 * latency to its nearest node, {@code null} until measured), {@code costPerGb} and {@code
 * configured}; {@code nodes} lists the nodes heard from, each {@code {id, self, lastSeen,
 * latencyMs}}, this node first in its own cloud; {@code stepsRun} counts the steps of this node's
 * instances the cloud ran since the node started, and {@code costSoFar} is that times its {@code
 * costPerStep} ({@code null} when the cost is not configured).
 *
 * <p>{@code instances} ({@code {owned, standby}}) counts the cloud's running instances: those it
 * owns and the replicas it keeps of other clouds' instances, as its own nodes counted them in their
 * store ({@code RunningInstanceCounter}) and announced them in their heartbeats; {@code null} until
 * a node of it did. {@code traffic} lists what the cloud's nodes sent over the bus, by target cloud
 * ({@code to: "*"} for announcements to every cloud, i.e. heartbeats): envelopes and payload bytes,
 * since each node started, as the nodes reported them in their heartbeats (this node's own as it
 * announced them last). So every node shows every cloud's figures, an interval or so old.
 */
public final class CloudsApi {
  private final NodeCloudDirectory clouds;
  private final Replication replication;
  private final OwnershipGuard ownership;
  private final java.util.function.ToLongFunction<String> stepsRanOn;

  /**
   * @param ownership the node's ownership lease, or {@code null} when its cloud has no part in
   *     fail-over (a manual fail-over then leaves no take-over notice)
   * @param stepsRanOn how many steps of this node's instances a cloud ran since the node started
   */
  public CloudsApi(
      NodeCloudDirectory clouds,
      Replication replication,
      OwnershipGuard ownership,
      java.util.function.ToLongFunction<String> stepsRanOn) {
    this.stepsRanOn = stepsRanOn;
    this.clouds = clouds;
    this.replication = replication;
    this.ownership = ownership;
  }

  public void register(Router r) {
    r.get("/api/v1/clouds", this::list);
    r.post("/api/v1/clouds/{name}/failover", this::failover);
    r.post("/api/v1/clouds/{name}/failback", this::failback);
  }

  /**
   * Gives the instances this node's cloud took over from cloud {@code name} back to it, once it is
   * UP again (fail-back).
   */
  Reply failback(Call call) throws Exception {
    call.allowQuery();
    String name = call.param("name");
    call.json(FailoverRequest.class, false);
    if (clouds.statuses().stream().noneMatch(c -> c.name().equals(name))) {
      throw ProblemException.notFound("cloud '" + name + "' is not known to this node");
    }
    if (name.equals(clouds.ownCloud())) {
      throw ProblemException.conflict(
          "cloud '"
              + name
              + "' is this node's own cloud: fail back from the cloud that took it over");
    }
    String health =
        clouds.statuses().stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .map(c -> c.view().health().name())
            .orElse("DOWN");
    if (!"UP".equals(health) && replication.hasTakenOverFrom(name)) {
      throw ProblemException.conflict(
          "cloud '"
              + name
              + "' is "
              + health
              + ": its instances go back only to a cloud that is UP");
    }
    if (ownership != null) {
      ownership.stopTakingOver(name);
    }
    Replication.FailoverResult r = replication.failback(name, "fail-back to cloud '" + name + "'");
    if (ownership != null && r.refused().isEmpty()) {
      ownership.failedBack(name); // its nodes may claim their lease again
    }
    return Reply.ok(r);
  }

  /** The body of {@code POST /clouds/{name}/failover}. */
  public record FailoverRequest(String to) {}

  /**
   * Moves the running instances of cloud {@code name} to this node's cloud (the only {@code to} a
   * node can take them to: it holds their replicas).
   */
  Reply failover(Call call) throws Exception {
    call.allowQuery();
    String name = call.param("name");
    FailoverRequest req = call.json(FailoverRequest.class, false);
    String own = clouds.ownCloud();
    if (clouds.statuses().stream().noneMatch(c -> c.name().equals(name))) {
      throw ProblemException.notFound("cloud '" + name + "' is not known to this node");
    }
    if (req != null && req.to() != null && !req.to().equals(own)) {
      throw ProblemException.invalid(
          "to",
          "this node is in cloud '"
              + own
              + "' and can take instances only there: send the fail-over to a node of '"
              + req.to()
              + "'");
    }
    if (name.equals(own)) {
      throw ProblemException.conflict(
          "cloud '" + name + "' is this node's own cloud: fail it over from a node of its standby");
    }
    String reason = "manual fail-over of cloud '" + name + "'";
    return Reply.ok(
        ownership != null ? ownership.takeOver(name, reason) : replication.failover(name, reason));
  }

  Reply list(Call call) {
    call.allowQuery();
    return Reply.ok(clouds.statuses().stream().map(this::view).toList());
  }

  /** One cloud, in the documented field order. */
  public record Cloud(
      String name,
      String provider,
      String region,
      List<String> jurisdiction,
      BigDecimal costPerStep,
      BigDecimal availability,
      List<Node> nodes,
      String health,
      Instant lastSeen,
      Double latencyMs,
      BigDecimal costPerGb,
      boolean configured,
      Replica replication,
      long stepsRun,
      BigDecimal costSoFar,
      Instances instances,
      List<Traffic> traffic) {}

  /**
   * The running instances of a cloud.
   *
   * @param owned those it owns
   * @param standby those another cloud owns and it keeps replicas of
   */
  public record Instances(long owned, long standby) {}

  /**
   * What the nodes of cloud {@code from} sent to cloud {@code to} over the bus.
   *
   * @param to the target cloud, {@code *} for announcements to every cloud
   * @param messages envelopes the transport took
   * @param bytes the bytes of their payloads
   */
  public record Traffic(String from, String to, long messages, long bytes) {}

  /**
   * Replication from this node's cloud to a standby cloud.
   *
   * @param lagMs the age of the oldest event shipped there and not yet acknowledged (0: none)
   * @param pendingInstances instances with events not yet acknowledged
   */
  public record Replica(String role, double lagMs, int pendingInstances) {}

  /**
   * One node of a cloud.
   *
   * @param self whether it is the node answering
   * @param lastSeen when its last heartbeat arrived here (for {@code self}: now)
   * @param latencyMs estimated one-way bus latency to it, {@code null} until measured
   */
  public record Node(String id, boolean self, Instant lastSeen, Double latencyMs) {}

  private Cloud view(CloudStatus status) {
    CloudConfig a = status.attributes();
    CloudView v = status.view();
    List<Node> nodes = new ArrayList<>();
    if (status.name().equals(clouds.ownCloud())) {
      nodes.add(new Node(clouds.nodeId(), true, v.lastSeen(), 0.0));
    }
    for (NodeView n : v.nodes()) {
      nodes.add(
          new Node(
              n.nodeId(),
              false,
              n.lastSeen(),
              n.roundTrip() == null ? null : millis(n.roundTrip().dividedBy(2))));
    }
    return new Cloud(
        status.name(),
        a.provider(),
        a.region(),
        a.jurisdiction(),
        a.costPerStep(),
        a.availability(),
        nodes,
        v.health().name(),
        v.lastSeen(),
        v.latency() == null ? null : millis(v.latency()),
        a.costPerGb(),
        status.configured(),
        replication
            .standby(status.name())
            .map(r -> new Replica("standby", millis(r.lag()), r.pendingInstances()))
            .orElse(null),
        stepsRanOn.applyAsLong(status.name()),
        a.costPerStep() == null
            ? null
            : a.costPerStep().multiply(BigDecimal.valueOf(stepsRanOn.applyAsLong(status.name()))),
        v.instances() == null
            ? null
            : new Instances(v.instances().owned(), v.instances().standby()),
        v.sent().entrySet().stream()
            .map(
                e ->
                    new Traffic(
                        status.name(), e.getKey(), e.getValue().messages(), e.getValue().bytes()))
            .toList());
  }

  /** Milliseconds to the microsecond. */
  private static double millis(Duration d) {
    return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }
}
