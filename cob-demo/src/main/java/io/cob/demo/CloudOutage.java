package io.cob.demo;

import java.util.Optional;

/**
 * Takes a cloud off the bus between clouds and brings it back, for the demo's staged outage.
 *
 * <p>An implementation either really cuts the cloud off (its nodes stop hearing and being heard, so
 * that placement sees it {@code DOWN} and re-places its steps), or says why it cannot; the demo
 * never pretends.
 */
public interface CloudOutage {

  /**
   * Cuts {@code cloud} off.
   *
   * @return empty when the cloud is now unreachable; else why the outage cannot be staged
   */
  Optional<String> cut(String cloud);

  /** Brings {@code cloud} back; does nothing for a cloud that was not cut. */
  void restore(String cloud);

  /** The outage of a demo whose nodes cannot yet send steps to other clouds. */
  static CloudOutage unavailable(String why) {
    return new CloudOutage() {
      @Override
      public Optional<String> cut(String cloud) {
        return Optional.of(why);
      }

      @Override
      public void restore(String cloud) {}
    };
  }
}
