package io.cob.bench;

import java.util.List;

/** Order statistics of a handful of repetitions or of many latencies. */
public final class Stats {
  private Stats() {}

  /**
   * Nearest-rank percentile of sorted values: the smallest value with {@code p}% at or below it.
   */
  public static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The median, min and max of some values. */
  public record Summary(double median, double min, double max, int count) {
    public static Summary of(List<Double> values) {
      double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (v.length == 0) {
        throw new IllegalArgumentException("no values");
      }
      double median =
          v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      return new Summary(median, v[0], v[v.length - 1], v.length);
    }
  }
}
