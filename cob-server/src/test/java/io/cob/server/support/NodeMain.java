package io.cob.server.support;

import io.cob.server.CobNode;
import io.cob.server.config.ConfigLoader;
import io.cob.server.config.NodeConfig;
import java.util.Map;

/**
 * Runs one node in a JVM of its own for the multi-node tests: {@code NodeMain NODE_ID STORE_URL}.
 * Prints {@code PORT=N} once the API answers, then runs until killed.
 */
public final class NodeMain {
  private NodeMain() {}

  public static void main(String[] args) throws InterruptedException {
    NodeConfig c =
        ConfigLoader.validate(
            ConfigLoader.load(null, Map.of())
                .withNodeId(args[0])
                .withStoreUrl(args[1])
                .withHttpPort(0));
    CobNode node = CobNode.start(c);
    System.out.println("PORT=" + node.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
