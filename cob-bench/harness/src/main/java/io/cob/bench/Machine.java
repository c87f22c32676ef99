package io.cob.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the numbers were measured on, read from the JVM and /proc. */
final class Machine {
  private Machine() {}

  static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("CPU", firstValue("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")));
    m.put("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
    m.put(
        "memory",
        firstValue("/proc/meminfo", "MemTotal")
            .map(
                v ->
                    String.format(
                        "%.1f GiB", Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
            .orElse("?"));
    m.put("OS", osName() + " (kernel " + System.getProperty("os.version") + ")");
    m.put(
        "JDK",
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"));
    return m;
  }

  /**
   * The git commit of the cob sources the benchmark was built from, and whether they were changed.
   */
  static String sourceRevision(Path repository) {
    try {
      String commit = git(repository, "rev-parse", "--short=12", "HEAD");
      String branch = git(repository, "rev-parse", "--abbrev-ref", "HEAD");
      boolean dirty = !git(repository, "status", "--porcelain", "--untracked-files=no").isEmpty();
      return "commit "
          + commit
          + " (branch "
          + branch
          + ")"
          + (dirty ? " with uncommitted changes" : "");
    } catch (IOException | RuntimeException e) {
      return "unknown (not a git checkout)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String git(Path repository, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repository.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(out);
    }
    return out;
  }

  /** The 1, 5 and 15 minute load averages, e.g. "1.30 2.25 2.61". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static double load1() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String osName() {
    return firstValue("/etc/os-release", "PRETTY_NAME", '=')
        .map(v -> v.replace("\"", ""))
        .orElse(System.getProperty("os.name"));
  }

  private static java.util.Optional<String> firstValue(String file, String key) {
    return firstValue(file, key, ':');
  }

  private static java.util.Optional<String> firstValue(String file, String key, char separator) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        int i = line.indexOf(separator);
        if (i > 0 && line.substring(0, i).trim().equals(key)) {
          return java.util.Optional.of(line.substring(i + 1).trim());
        }
      }
    } catch (IOException e) {
      // Not Linux, or not readable: the caller falls back to what the JVM knows.
    }
    return java.util.Optional.empty();
  }
}
