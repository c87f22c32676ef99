package io.cob.server.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A scrape of {@code /metrics} read as the Prometheus text exposition format (0.0.4) describes it:
 * one sample per line, {@code name{label="value",...} value [timestamp]}, comments and blank lines
 * skipped, label values unescaped ({@code \\}, {@code \"}, {@code \n}). Lines it cannot read fail
 * the parse, naming the line, so a malformed exposition fails the test instead of hiding samples.
 */
public final class PrometheusText {
  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {
    /** Whether every given label has the given value here (other labels may be present). */
    public boolean matches(Map<String, String> wanted) {
      return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /** Every sample of the text. */
  public static PrometheusText parse(String text) {
    List<Sample> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(sample(line));
      } catch (RuntimeException e) {
        throw new AssertionError(
            "line "
                + (i + 1)
                + " is not a Prometheus sample: "
                + line
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    return new PrometheusText(out);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of that name carrying the given labels (among others). */
  public List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.matches(labels)).toList();
  }

  /**
   * The value of the one sample of that name with the given labels; fails when there is none or
   * more than one (the labels given must pick a single series).
   */
  public double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one sample "
              + name
              + labels
              + ", found "
              + found.size()
              + ": "
              + found
              + "; samples of that name: "
              + find(name, Map.of()));
    }
    return found.getFirst().value();
  }

  /** The sum of the values of the samples of that name with the given labels (0 when none). */
  public double sum(String name, Map<String, String> labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** The distinct values of one label among the samples of that name. */
  public List<String> labelValues(String name, String label) {
    return find(name, Map.of()).stream()
        .map(s -> s.labels().get(label))
        .filter(v -> v != null)
        .distinct()
        .sorted()
        .collect(Collectors.toList());
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("no metric name");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq).strip();
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label " + key + " has no quoted value");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        if (labels.put(key, value.toString()) != null) {
          throw new IllegalArgumentException("label " + key + " twice");
        }
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).strip().split(" +");
    return new Sample(name, Collections.unmodifiableMap(labels), number(rest[0]));
  }

  private static double number(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
