package io.cob.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cob.engine.port.Store;
import io.cob.engine.port.StoreRows.InstanceQuery;
import io.cob.engine.port.StoreRows.InstanceSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a separate JVM runs 100 instances of a 10-step process whose steps are durable
 * jobs; it is killed with SIGKILL mid-run and restarted on the same store. Every instance must
 * complete, and every step's effect must be recorded under exactly one idempotency key: a job that
 * runs again after the crash carries its original key.
 */
class CrashRecoveryIT {
  private static final int INSTANCES = 100;

  @TempDir Path dir;

  @Test
  void shouldCompleteEveryInstanceAfterSigkillOnH2File() throws Exception {
    crashAndResume("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath());
  }

  @Test
  void shouldCompleteEveryInstanceAfterSigkillOnPostgres() throws Exception {
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      String url =
          db.jdbcUrl()
              + "&user="
              + db.user()
              + (db.password().isEmpty() ? "" : "&password=" + db.password());
      crashAndResume(url);
    }
  }

  private void crashAndResume(String url) throws Exception {
    Path effects = dir.resolve("effects.txt");

    List<Process> workers = new ArrayList<>();
    long beforeKill;
    try {
      Process first = worker("start", url, effects, workers);
      awaitLine(first, "STARTED", Duration.ofSeconds(90));
      // Kill once some steps are done and many are not.
      Instant until = Instant.now().plusSeconds(60);
      while (CrashWorker.lines(effects) < 300 && Instant.now().isBefore(until)) {
        TimeUnit.MILLISECONDS.sleep(5);
      }
      beforeKill = CrashWorker.lines(effects);
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no clean close
      first.waitFor(30, TimeUnit.SECONDS);
      assertThat(beforeKill)
          .as("steps done before the kill")
          .isBetween(300L, (long) INSTANCES * CrashWorker.STEPS - 1);

      Process second = worker("resume", url, effects, workers);
      awaitLine(second, "DONE", Duration.ofSeconds(120));
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      // A failed run must not leave workers behind.
      workers.forEach(Process::destroyForcibly);
    }

    try (Store store = JdbcStore.open(url)) {
      List<InstanceSummary> all =
          store.instances(new InstanceQuery(null, "steps", null, null, null, 10_000, null));
      assertThat(all)
          .hasSize(INSTANCES)
          .allSatisfy(s -> assertThat(s.state()).isEqualTo("COMPLETED"));
      for (InstanceSummary s : all) {
        assertThat(store.jobs(s.id())).isEmpty();
      }
    }

    Map<String, Set<String>> keysPerStep = new HashMap<>();
    List<String> lines = Files.readAllLines(effects);
    for (String line : lines) {
      String[] parts = line.split(" ");
      keysPerStep.computeIfAbsent(parts[0] + "/" + parts[1], k -> new HashSet<>()).add(parts[2]);
    }
    assertThat(keysPerStep)
        .as("every step of every instance has an effect")
        .hasSize(INSTANCES * CrashWorker.STEPS);
    assertThat(keysPerStep.values())
        .as("each step's effects carry one idempotency key")
        .allSatisfy(keys -> assertThat(keys).hasSize(1));
    Set<String> allKeys = new HashSet<>();
    keysPerStep.values().forEach(allKeys::addAll);
    assertThat(allKeys).as("no two steps share a key").hasSize(INSTANCES * CrashWorker.STEPS);
    System.out.printf(
        "crash test on %s: %d effects before the kill, %d in all (%d re-runs)%n",
        url.startsWith("jdbc:h2") ? "H2" : "PostgreSQL",
        beforeKill,
        lines.size(),
        lines.size() - INSTANCES * CrashWorker.STEPS);
  }

  private Process worker(String mode, String url, Path effects, List<Process> workers)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorker.class.getName(),
                mode,
                url,
                effects.toString(),
                String.valueOf(INSTANCES)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    workers.add(p);
    return p;
  }

  /** Reads the worker's output until the line appears; fails with the output seen otherwise. */
  private static void awaitLine(Process p, String expected, Duration timeout) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    String line;
                    while ((line = r.readLine()) != null) {
                      synchronized (seen) {
                        seen.append(line).append('\n');
                      }
                    }
                  } catch (IOException e) {
                    // the process went away
                  }
                });
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      synchronized (seen) {
        if (seen.toString().contains(expected + "\n")) {
          return;
        }
      }
      if (!p.isAlive()) {
        reader.join(1000);
        break;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    synchronized (seen) {
      throw new AssertionError(
          "worker did not print " + expected + " within " + timeout + "; output:\n" + seen);
    }
  }
}
