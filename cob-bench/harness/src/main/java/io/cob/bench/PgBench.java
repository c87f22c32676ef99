package io.cob.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical reference: what this machine's PostgreSQL does for the cheapest durable write (a
 * one-row INSERT committed on its own) and for a bare round trip (SELECT 1), from one client,
 * measured with pgbench on a fresh database.
 */
final class PgBench {
  private static final Pattern TPS =
      Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  /** TPS of both scripts, or why there are none. */
  record Result(Double insertCommitTps, Double selectTps, String note, String command) {}

  private PgBench() {}

  static Result run(Databases databases, int seconds) {
    if (!onPath("pgbench")) {
      return new Result(
          null,
          null,
          "pgbench is not installed (it ships with the PostgreSQL client package); skipped",
          null);
    }
    Map<String, String> c = databases.pgConnection();
    try (Databases.Fresh db = databases.create(Db.PG, "pgbench")) {
      String name = db.url().replaceAll("^.*/([^/?]+)(\\?.*)?$", "$1");
      List<String> base = List.of("-h", c.get("host"), "-p", c.get("port"), "-U", c.get("user"));
      exec(concat(List.of("pgbench", "-i", "-q"), base, List.of(name)));
      Path insert = Files.createTempFile("cob-bench-insert", ".sql");
      Path select = Files.createTempFile("cob-bench-select", ".sql");
      try {
        // Each statement of a script runs in autocommit: one row, one commit (one WAL flush).
        Files.writeString(insert, "INSERT INTO one_row (v) VALUES (1);\n", StandardCharsets.UTF_8);
        Files.writeString(select, "SELECT 1;\n", StandardCharsets.UTF_8);
        try (java.sql.Connection con = java.sql.DriverManager.getConnection(db.url());
            java.sql.Statement st = con.createStatement()) {
          st.execute("CREATE TABLE one_row (id bigserial PRIMARY KEY, v int)");
        }
        List<String> run =
            concat(
                List.of("pgbench", "-n", "-c", "1", "-j", "1", "-T", String.valueOf(seconds)),
                base,
                List.of("-f"));
        double inserts = tps(exec(concat(run, List.of(insert.toString(), name))));
        double selects = tps(exec(concat(run, List.of(select.toString(), name))));
        String shown =
            "pgbench -n -c 1 -j 1 -T "
                + seconds
                + " -f <script> (script: "
                + "'INSERT INTO one_row (v) VALUES (1);' and 'SELECT 1;')";
        return new Result(inserts, selects, null, shown);
      } finally {
        Files.deleteIfExists(insert);
        Files.deleteIfExists(select);
      }
    } catch (IOException | java.sql.SQLException | RuntimeException e) {
      return new Result(null, null, "pgbench failed: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, null, "pgbench interrupted", null);
    }
  }

  private static double tps(String output) {
    Matcher m = TPS.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no TPS in pgbench output: " + output);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
    }
    return out;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }
}
