package io.cob.engine.store;

import io.cob.engine.port.StoreRows.DeploymentResource;
import io.cob.engine.port.StoreRows.DeploymentResult;
import io.cob.engine.port.StoreRows.NewDeployment;
import io.cob.engine.port.StoreRows.ProcessHeader;
import io.cob.engine.port.StoreRows.ProcessVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which process versions a deployment creates, so that every {@link
 * io.cob.engine.port.Store} adapter versions processes by the same rule: a process whose resource
 * XML has the same checksum as its latest version keeps that version; otherwise it gets the next
 * version (1 for a new process id).
 *
 * <p>The caller must hold whatever lock keeps other deployers out between reading the latest
 * versions and writing {@link #created()}; the plan itself is pure and immutable.
 */
public final class DeploymentPlan {
  private final String deploymentId;
  private final List<ProcessVersion> versions;
  private final List<ProcessVersion> created;

  private DeploymentPlan(
      String deploymentId, List<ProcessVersion> versions, List<ProcessVersion> created) {
    this.deploymentId = deploymentId;
    this.versions = List.copyOf(versions);
    this.created = List.copyOf(created);
  }

  /**
   * Plans a deployment.
   *
   * @param latestStored the latest stored version of a process id, looked up at most once per id
   */
  public static DeploymentPlan of(
      NewDeployment deployment, Function<String, Optional<ProcessVersion>> latestStored) {
    // A process id may occur in several resources of one deployment: later ones must see the
    // versions planned for earlier ones, not only the stored ones.
    Map<String, Optional<ProcessVersion>> latest = new HashMap<>();
    List<ProcessVersion> versions = new ArrayList<>();
    List<ProcessVersion> created = new ArrayList<>();
    for (DeploymentResource resource : deployment.resources()) {
      String checksum = checksum(resource.xml());
      for (ProcessHeader header : resource.processes()) {
        Optional<ProcessVersion> current = latest.computeIfAbsent(header.processId(), latestStored);
        if (current.isPresent() && current.get().checksum().equals(checksum)) {
          versions.add(current.get());
          continue;
        }
        int next = current.map(v -> v.version() + 1).orElse(1);
        ProcessVersion version =
            new ProcessVersion(
                key(header.processId(), next),
                header.processId(),
                next,
                header.name(),
                deployment.deploymentId(),
                resource.name(),
                checksum,
                deployment.at());
        latest.put(header.processId(), Optional.of(version));
        versions.add(version);
        created.add(version);
      }
    }
    return new DeploymentPlan(deployment.deploymentId(), versions, created);
  }

  /** The versions to insert, in deployment order. */
  public List<ProcessVersion> created() {
    return created;
  }

  /** What {@link io.cob.engine.port.Store#deploy} returns: one version per process header. */
  public DeploymentResult result() {
    return new DeploymentResult(deploymentId, versions);
  }

  /** The key of a process version: {@code processId:version}. */
  /** The error when an imported process version differs from the one a store holds. */
  public static String importConflict(ProcessVersion imported, ProcessVersion present) {
    return "import of process '%s' version %d from deployment %s: this store holds that version from deployment %s with another content (checksum %s, imported %s)"
        .formatted(
            imported.processId(),
            imported.version(),
            imported.deploymentId(),
            present.deploymentId(),
            present.checksum(),
            imported.checksum());
  }

  public static String key(String processId, int version) {
    return processId + ":" + version;
  }

  /** The lower-case hex SHA-256 of a resource's XML (UTF-8). */
  public static String checksum(String xml) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
