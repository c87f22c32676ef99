package io.cob.engine.port;

/**
 * Whether this node may advance the instances its cloud owns now (DESIGN.md §7). A node that cannot
 * confirm its cloud's ownership lease fences itself: it commits no progress on them, so that a
 * standby may take them over once the lease has lapsed without two clouds writing one instance.
 * Asked before every command on an owned instance: must be cheap (a field read).
 */
@FunctionalInterface
public interface OwnershipFence {
  /** Never fenced: a node on its own, or a cloud without standbys. */
  OwnershipFence NONE = () -> null;

  /** Why the node is fenced now, or {@code null} when it may commit. */
  String fenced();

  /**
   * Why the node may not commit on an instance of {@code process} now, or {@code null}: a process
   * may name standbys of its own ({@code cob:standby}), so that its instances are fenced even where
   * the cloud has none. By default as {@link #fenced()}.
   */
  default String fenced(io.cob.model.ProcessDefinition process) {
    return fenced();
  }

  /** How a refusal because the node is fenced begins. */
  String REFUSED = "this node is fenced (";

  /** What a command or a publication refused because the node is fenced for {@code why} says. */
  static String refusal(String why) {
    return REFUSED
        + why
        + "): it commits nothing on its cloud's instances until it confirms its ownership lease"
        + " again";
  }
}
