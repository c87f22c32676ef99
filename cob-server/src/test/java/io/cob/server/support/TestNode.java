package io.cob.server.support;

import io.cob.server.CobNode;
import io.cob.server.config.NodeConfig;
import java.util.UUID;

/** Starts nodes for tests: an in-memory H2 store of its own, a free port, the dev clock. */
public final class TestNode {
  private TestNode() {}

  public static CobNode start() {
    return CobNode.start(
        NodeConfig.defaults()
            .withHttpPort(0)
            .withStoreUrl("jdbc:h2:mem:" + UUID.randomUUID())
            .withDevClock(true));
  }

  public static CobNode start(NodeConfig config) {
    return CobNode.start(config);
  }
}
