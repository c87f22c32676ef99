package io.cob.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.server.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void aConfigFileWithAnUnknownKeyExitsWith2NamingKeyAndLine() throws IOException {
    Path f = dir.resolve("cob.yaml");
    Files.writeString(f, "node:\n  id: n1\n  prot: 1\n");

    CliRun run = CliRun.of("server", "--config", f.toString());

    assertThat(run.exitCode()).isEqualTo(CobCommand.BAD_INPUT);
    assertThat(run.err()).contains("cob.yaml:3:").contains("unknown key 'node.prot'");
  }

  @Test
  void aBadOptionValueExitsWith2() {
    assertThat(
            CliRun.of("server", "--port", "70000", "--config", "/nonexistent/none.yaml").exitCode())
        .isEqualTo(CobCommand.BAD_INPUT);
    CliRun run = CliRun.of("server", "--bus", "kafka://x");
    assertThat(run.exitCode()).isEqualTo(CobCommand.BAD_INPUT);
    assertThat(run.err()).contains("bus.url");
  }

  @Test
  void optionsOverrideEnvironmentWhichOverridesTheFile() throws IOException {
    Path f = dir.resolve("cob.yaml");
    Files.writeString(
        f, "node: { id: file-id, cloud: a, http: { port: 1000 } }\nclouds: { a: {}, b: {} }\n");
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs("--port", "3000", "--dev-clock", "--store", "jdbc:h2:mem:opt");

    NodeConfig c =
        cmd.resolve(
            Map.of(
                "COB_CONFIG", f.toString(), "COB_NODE_HTTP_PORT", "2000", "COB_NODE_CLOUD", "b"));

    assertThat(c.nodeId()).isEqualTo("file-id");
    assertThat(c.cloud()).isEqualTo("b");
    assertThat(c.httpPort()).isEqualTo(3000);
    assertThat(c.storeUrl()).isEqualTo("jdbc:h2:mem:opt");
    assertThat(c.devClock()).isTrue();
  }

  @Test
  void helpListsTheServerOptions() {
    CliRun run = CliRun.of("server", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--config", "--port", "--store", "--bus", "--dev-clock");
  }
}
