package io.cob.bench.failover;

import io.cob.server.CobNode;
import io.cob.server.config.ConfigLoader;
import java.nio.file.Path;

/**
 * One cob node in a JVM of its own, configured by a {@code cob.yaml} as {@code cob server --config
 * FILE} is: {@code NodeMain FILE}. Prints {@code PORT=N} once the API answers, then runs until it
 * is killed.
 */
public final class NodeMain {
  static final String PORT_LINE = "PORT=";

  private NodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    CobNode node = CobNode.start(ConfigLoader.load(Path.of(args[0]), System.getenv()));
    System.out.println(PORT_LINE + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
