package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Medians and round-by-round ratios of a repeated comparison, from points of known throughput. */
class RoundSummaryTest {
  static final ClusterConfig OPT = new ClusterConfig("optimized", "optimized", Map.of());
  static final ClusterConfig FAST = new ClusterConfig("fastpath", "fastpath", Map.of());

  /** 3000 operations (put latencies 1..1000 us, get 10..2009 us) over {@code seconds}. */
  static PointResult point(ClusterConfig config, int clients, int round, double seconds) {
    return point(config, clients, round, seconds, 1);
  }

  /** As above; {@code slower} above 1: 2000 puts with latencies {@code slower} x 1..2000 us. */
  static PointResult point(
      ClusterConfig config, int clients, int round, double seconds, int slower) {
    List<OpResult> results =
        slower == 1
            ? List.of(
                new OpResult("put", ReportTest.linear(1, 1000), null, Map.of()),
                new OpResult("get", ReportTest.linear(10, 2009), null, Map.of()))
            : List.of(new OpResult("put", scaled(slower), null, Map.of()));
    JvmTimeWindow none = JvmTimeWindow.unknown();
    return new PointResult(
        config,
        clients,
        round,
        ReportTest.info(seconds),
        results,
        LeaderWindow.missing(1, "test"),
        null,
        none,
        none,
        none,
        Path.of(config.label(), "r" + round, "c" + clients));
  }

  @Test
  void ratiosPairEachRoundWithTheFirstConfigurationsRoundAtTheSameClientCount() {
    // Round 1 is fast for both, round 2 slow for both, round 3 in between: the ratios are steady
    // while the throughputs are not.
    RoundSummary s =
        RoundSummary.of(
            List.of(
                point(OPT, 64, 1, 1.0),
                point(FAST, 64, 1, 0.8),
                point(OPT, 64, 2, 3.0),
                point(FAST, 64, 2, 2.5),
                point(OPT, 64, 3, 2.0),
                point(FAST, 64, 3, 2.0)));
    assertEquals("optimized", s.baseline().label());
    assertEquals(3, s.rounds());
    assertEquals(2, s.rows().size());
    RoundSummary.Row fast = s.rows().get(1);
    assertEquals("fastpath", fast.config().label());
    assertArrayEquals(new double[] {3750, 1200, 1500}, fast.throughputs(), 1e-9);
    assertArrayEquals(new double[] {1.25, 1.2, 1.0}, fast.ratios(), 1e-9);
    assertEquals(1.2, fast.medianRatio(), 1e-9);
    assertEquals(1500, fast.medianThroughput(), 1e-9);
    assertEquals(1200, fast.minThroughput(), 1e-9);
    assertEquals(3750, fast.maxThroughput(), 1e-9);
    assertEquals(3, fast.measuredRounds());
    RoundSummary.Row opt = s.rows().get(0);
    assertArrayEquals(new double[] {1, 1, 1}, opt.ratios(), 1e-9);
    assertEquals(1500, opt.medianThroughput(), 1e-9);
    // Every point has the same latencies: the medians are those.
    double p50 = Report.micros(point(FAST, 64, 1, 1).latency(), 50) / 1000;
    assertTrue(p50 > 0);
    assertEquals(p50, RoundSummary.median(fast.p50Millis()), 1e-9);
    assertTrue(Double.isNaN(RoundSummary.median(fast.cpuMicrosPerOp())), "not probed");
  }

  /** 2000 latencies: {@code k} x 1..2000 us. */
  private static Histogram scaled(int k) {
    Histogram h = new Histogram(3);
    for (long v = 1; v <= 2000; v++) {
      h.recordValue(v * k * 1000);
    }
    return h;
  }

  @Test
  void p50RatiosCompareTheLatenciesOfTheSameRound() {
    RoundSummary s =
        RoundSummary.of(
            List.of(
                point(OPT, 1, 1, 1.0, 4),
                point(FAST, 1, 1, 1.0, 2),
                point(OPT, 1, 2, 1.0, 4),
                point(FAST, 1, 2, 1.0, 3)));
    RoundSummary.Row fast = s.rows().get(1);
    // p50 of k x 1..2000 us is about k ms: 2/4 in round 1, 3/4 in round 2 (HdrHistogram keeps 3
    // significant digits).
    assertArrayEquals(new double[] {0.5, 0.75}, fast.p50Ratios(), 0.002);
    assertEquals(0.625, fast.medianP50Ratio(), 0.002);
    assertArrayEquals(new double[] {1, 1}, s.rows().get(0).p50Ratios(), 1e-9);
  }

  @Test
  void clientCountsAreSeparateRowsAndAMissingRoundIsLeftOut() {
    RoundSummary s =
        RoundSummary.of(
            List.of(
                point(OPT, 1, 1, 2.0),
                point(OPT, 64, 1, 1.0),
                point(FAST, 1, 1, 1.0),
                point(FAST, 64, 1, 1.0),
                point(OPT, 1, 2, 2.0),
                point(FAST, 1, 2, 4.0)));
    assertEquals(4, s.rows().size());
    RoundSummary.Row fast1 = s.rows().get(2);
    assertEquals(1, fast1.clients());
    assertArrayEquals(new double[] {2.0, 0.5}, fast1.ratios(), 1e-9);
    assertEquals(1.25, fast1.medianRatio(), 1e-9);
    RoundSummary.Row fast64 = s.rows().get(3);
    assertEquals(64, fast64.clients());
    assertEquals(1, fast64.measuredRounds());
    assertTrue(Double.isNaN(fast64.ratios()[1]));
    assertEquals(1.0, fast64.medianRatio(), 1e-9);
  }

  @Test
  void theSamePointTwiceInOneRoundIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RoundSummary.of(List.of(point(OPT, 1, 1, 1.0), point(OPT, 1, 1, 2.0))));
    assertThrows(IllegalArgumentException.class, () -> RoundSummary.of(List.of()));
  }

  @Test
  void medianSkipsMissingValuesAndAveragesTheMiddleTwo() {
    assertEquals(2.0, RoundSummary.median(new double[] {3, 1, 2}), 1e-9);
    assertEquals(2.5, RoundSummary.median(new double[] {4, 1, 3, 2}), 1e-9);
    assertEquals(3.0, RoundSummary.median(new double[] {Double.NaN, 3}), 1e-9);
    assertTrue(Double.isNaN(RoundSummary.median(new double[] {Double.NaN})));
    assertTrue(Double.isNaN(RoundSummary.median(new double[0])));
  }
}
