package io.cob.server.support;

import io.cob.server.CobNode;
import io.cob.server.config.ConfigLoader;
import java.nio.file.Path;

/**
 * Runs one node in a JVM of its own from a {@code cob.yaml}, as {@code cob server --config FILE}
 * does: {@code ConfiguredNodeMain FILE}. Prints {@code PORT=N} once the API answers, then runs
 * until killed.
 */
public final class ConfiguredNodeMain {
  private ConfiguredNodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    CobNode node = CobNode.start(ConfigLoader.load(Path.of(args[0]), System.getenv()));
    System.out.println("PORT=" + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
