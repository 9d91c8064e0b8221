package io.raftkv.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    List<Row> rows = new ArrayList<>();
    for (PointResult[] slots : byKey.values()) {
      PointResult any = Arrays.stream(slots).filter(s -> s != null).findFirst().orElseThrow();
      PointResult[] base = byKey.get(key(baseline, any.clients()));
      double[] thr = new double[rounds];
      double[] p50 = new double[rounds];
      double[] p99 = new double[rounds];
      double[] cpu = new double[rounds];
      double[] ratio = new double[rounds];
      double[] p50Ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        PointResult p = slots[r];
        if (p == null) {
          thr[r] = p50[r] = p99[r] = cpu[r] = ratio[r] = p50Ratio[r] = Double.NaN;
          continue;
        }
        thr[r] = p.throughput();
        p50[r] = Report.micros(p.latency(), 50) / 1000;
        p99[r] = Report.micros(p.latency(), 99) / 1000;
        cpu[r] = p.cpuMicrosPerOp();
        PointResult b = base == null ? null : base[r];
        ratio[r] = b == null || b.throughput() <= 0 ? Double.NaN : thr[r] / b.throughput();
        double baseP50 = b == null ? 0 : Report.micros(b.latency(), 50) / 1000;
        p50Ratio[r] = baseP50 <= 0 ? Double.NaN : p50[r] / baseP50;
      }
      rows.add(new Row(any.config(), any.clients(), thr, p50, p99, cpu, ratio, p50Ratio));
    }
    return new RoundSummary(baseline, rounds, List.copyOf(rows));
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
