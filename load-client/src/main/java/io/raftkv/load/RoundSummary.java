package io.raftkv.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a comparison repeated over rounds ({@code compare --repeat N}) says per configuration and
 * client count: the median, lowest and highest throughput over the rounds, the median latencies and
 * CPU cost, and, round by round, the throughput and the p50 latency divided by those of the first
 * configuration at the same client count in the same round.
 *
 * <p>Why rounds and pairs: on a shared machine the speed of the whole machine drifts from minute to
 * minute by more than the variants differ (on the 2-core reference VM, five clusters of one
 * variant, same code, made 25,622 to 43,538 puts/s at 64 clients within eleven minutes). Two
 * clusters measured one right after the other see nearly the same machine, so their ratio is
 * steadier than either figure, and the median of the per-round ratios is the figure to quote.
 *
 * <p>Pure: built from the points alone. Invariant: every row's arrays have one slot per round,
 * {@code NaN} where that round has no such point; medians skip {@code NaN}s and are {@code NaN}
 * when nothing is left.
 */
final class RoundSummary {
  /**
   * One configuration at one client count over every round.
   *
   * @param throughputs successful operations per second, by round (index 0 is round 1)
   * @param p50Millis all-operation p50 latency by round
   * @param p99Millis all-operation p99 latency by round
   * @param cpuMicrosPerOp CPU microseconds per operation by round ({@code NaN}: not probed)
   * @param ratios throughput divided by the baseline's in the same round; all 1 for the baseline
   * @param p50Ratios p50 latency divided by the baseline's in the same round
   */
  record Row(
      ClusterConfig config,
      int clients,
      double[] throughputs,
      double[] p50Millis,
      double[] p99Millis,
      double[] cpuMicrosPerOp,
      double[] ratios,
      double[] p50Ratios) {

    double medianThroughput() {
      return median(throughputs);
    }

    double minThroughput() {
      return Arrays.stream(throughputs).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    double maxThroughput() {
      return Arrays.stream(throughputs).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    double medianRatio() {
      return median(ratios);
    }

    double medianP50Ratio() {
      return median(p50Ratios);
    }

    /** Rounds that measured this configuration at this client count. */
    int measuredRounds() {
      return (int) Arrays.stream(throughputs).filter(v -> !Double.isNaN(v)).count();
    }
  }

  private final ClusterConfig baseline;
  private final int rounds;
  private final List<Row> rows;

  private RoundSummary(ClusterConfig baseline, int rounds, List<Row> rows) {
    this.baseline = baseline;
    this.rounds = rounds;
    this.rows = rows;
  }

  /**
   * Groups {@code points} by configuration label and client count, in the order they first appear;
   * the baseline is the configuration of the first point.
   */
  static RoundSummary of(List<PointResult> points) {
    if (points.isEmpty()) {
      throw new IllegalArgumentException("no points");
    }
    int rounds = points.stream().mapToInt(PointResult::round).max().orElseThrow();
    ClusterConfig baseline = points.get(0).config();
    Map<String, PointResult[]> byKey = new LinkedHashMap<>();
    for (PointResult p : points) {
      PointResult[] slots =
          byKey.computeIfAbsent(key(p.config(), p.clients()), k -> new PointResult[rounds]);
      if (slots[p.round() - 1] != null) {
        throw new IllegalArgumentException(
            "two points of " + key(p.config(), p.clients()) + " in round " + p.round());
      }
      slots[p.round() - 1] = p;
    }
    // First each configuration's own figures (one histogram merge per point), then the ratios
    // against the baseline's figures at the same client count.
    record Own(
        ClusterConfig config,
        int clients,
        double[] thr,
        double[] p50,
        double[] p99,
        double[] cpu) {}
    Map<String, Own> own = new LinkedHashMap<>();
    for (Map.Entry<String, PointResult[]> e : byKey.entrySet()) {
      PointResult[] slots = e.getValue();
      PointResult any = Arrays.stream(slots).filter(x -> x != null).findFirst().orElseThrow();
      double[] thr = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      double[] cpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        PointResult p = slots[r];
        if (p == null) {
          thr[r] = p50[r] = p99[r] = cpu[r] = Double.NaN;
          continue;
        }
        Histogram h = p.latency();
        thr[r] = p.throughput();
        p50[r] = Report.micros(h, 50) / 1000;
        p99[r] = Report.micros(h, 99) / 1000;
        cpu[r] = p.cpuMicrosPerOp();
      }
      own.put(e.getKey(), new Own(any.config(), any.clients(), thr, p50, p99, cpu));
    }
    List<Row> rows = new ArrayList<>();
    for (Own r : own.values()) {
      Own base = own.get(key(baseline, r.clients()));
      rows.add(
          new Row(
              r.config(),
              r.clients(),
              r.thr(),
              r.p50(),
              r.p99(),
              r.cpu(),
              divide(r.thr(), base == null ? null : base.thr()),
              divide(r.p50(), base == null ? null : base.p50())));
    }
    return new RoundSummary(baseline, rounds, List.copyOf(rows));
  }

  /** {@code a[i] / base[i]}; NaN where either is missing or the base is not positive. */
  private static double[] divide(double[] a, double[] base) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = base == null || !(base[i] > 0) ? Double.NaN : a[i] / base[i];
    }
    return out;
  }

  private static String key(ClusterConfig config, int clients) {
    return config.label() + " c" + clients;
  }

  /** The configuration every ratio is taken against: the first one run. */
  ClusterConfig baseline() {
    return baseline;
  }

  /** The highest round number among the points. */
  int rounds() {
    return rounds;
  }

  /** One row per configuration and client count, in the order the points first name them. */
  List<Row> rows() {
    return rows;
  }

  /**
   * The median of the values that are not {@code NaN} (the mean of the middle two for an even
   * count); {@code NaN} when there are none.
   */
  static double median(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }
}
