package io.cob.connectors.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Breaks a client's connection from the broker's side with {@code rabbitmqctl close_connection}, as
 * a network failure or a broker restart would, so that the client's automatic recovery runs. Only
 * the connection with the given name is touched.
 */
final class BrokerSideClose {
  private BrokerSideClose() {}

  /** Closes the connection whose client named it {@code connectionName}. */
  static void close(String connectionName) throws Exception {
    // One line per connection: the pid as close_connection takes it, a tab, the properties.
    String listing =
        rabbitmqctl("list_connections", "--no-table-headers", "pid", "client_properties");
    String pid = null;
    for (String line : listing.split("\n")) {
      if (line.contains("{\"connection_name\",\"" + connectionName + "\"}")) {
        pid = line.substring(0, line.indexOf('\t'));
      }
    }
    Assertions.assertNotNull(pid, "no connection named " + connectionName + " in " + listing);
    rabbitmqctl("close_connection", pid, "test: the network failed");
  }

  private static String rabbitmqctl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      String reason = "rabbitmqctl cannot be run: " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(reason + " (CI=true: this test must run)");
      }
      Assumptions.abort(reason);
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assertions.assertTrue(p.waitFor(30, TimeUnit.SECONDS), "rabbitmqctl finished");
    Assertions.assertEquals(0, p.exitValue(), "rabbitmqctl " + command + ": " + out);
    return out;
  }
}
