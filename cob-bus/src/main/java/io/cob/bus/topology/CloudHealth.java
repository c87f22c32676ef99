package io.cob.bus.topology;

/**
 * How a node sees another cloud, from the heartbeats it receives ({@link Topology}).
 *
 * <ul>
 *   <li>{@code UP}: a heartbeat of one of its nodes arrived within {@code suspectAfter} intervals.
 *   <li>{@code SUSPECT}: none for {@code suspectAfter} intervals, or none yet since this node
 *       started: steps may still go there, but not new ones if another cloud is UP.
 *   <li>{@code DOWN}: none for {@code downAfter} intervals: steps there are re-placed.
 * </ul>
 */
public enum CloudHealth {
  UP,
  SUSPECT,
  DOWN
}
