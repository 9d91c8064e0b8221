package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.FastPathStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json, summary.csv and report.md of a comparison, from points with known histograms. */
class ComparisonReportTest {
  @TempDir Path dir;

  static final ClusterConfig VANILLA = new ClusterConfig("vanilla", "vanilla", Map.of());
  static final ClusterConfig BATCHING =
      new ClusterConfig("vanilla+batching", "vanilla", Map.of("batching", "true"));

  static ComparisonReport.Meta meta() {
    return meta(1);
  }

  static ComparisonReport.Meta meta(int rounds) {
    return new ComparisonReport.Meta(
        "compare",
        "fsync",
        3,
        "none",
        "2g",
        "put=50,get=50",
        1,
        1,
        2,
        15,
        16,
        "jdk",
        2,
        "abc",
        "2026-01-01",
        rounds);
  }

  /** Put latencies 1..1000 us, get 10..2009 us, 2 no_quorum errors on put; 2 s measured. */
  static PointResult point(
      ClusterConfig config, int clients, LeaderWindow leader, FastPathStats fastPath) {
    JvmTimeWindow none = JvmTimeWindow.unknown();
    return point(config, clients, leader, fastPath, none, none, none);
  }

  static PointResult point(
      ClusterConfig config,
      int clients,
      LeaderWindow leader,
      FastPathStats fastPath,
      JvmTimeWindow jit,
      JvmTimeWindow cpu,
      JvmTimeWindow gc) {
    List<OpResult> results =
        List.of(
            new OpResult("put", ReportTest.linear(1, 1000), null, Map.of("no_quorum", 2L)),
            new OpResult("get", ReportTest.linear(10, 2009), null, Map.of()));
    return new PointResult(
        config,
        clients,
        1,
        ReportTest.info(2.0),
        results,
        leader,
        fastPath,
        jit,
        cpu,
        gc,
        Path.of(config.label(), "c" + clients));
  }

  static List<PointResult> points() {
    return List.of(
        point(VANILLA, 1, new LeaderWindow(1, true, 1500, -1, 3000, ""), null),
        point(
            BATCHING,
            1,
            LeaderWindow.missing(2, "the leader's term changed during the window"),
            new FastPathStats(200, 150, 40, 10, 0, 50)),
        point(
            BATCHING,
            4,
            new LeaderWindow(3, true, 30, 120, 3000, ""),
            new FastPathStats(200, 150, 40, 10, 0, 50),
            new JvmTimeWindow(Map.of(1, 300L, 2, 200L, 3, 100L), 400L, 2000),
            new JvmTimeWindow(Map.of(1, 900L, 2, 500L, 3, 400L), 600L, 2000),
            new JvmTimeWindow(Map.of(1, 40L, 2, 0L, 3, 25L), 5L, 2000)));
  }

  @Test
  void summaryJsonHasTheMetadataAndEveryPointWithCoherentNumbers() throws IOException {
    ComparisonReport.write(dir, meta(), points());
    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(dir.resolve("summary.json"))).parse();
    Map<?, ?> run = (Map<?, ?>) root.get("run");
    for (String key :
        List.of(
            "durability",
            "cluster_size",
            "workload",
            "duration_s",
            "jdk",
            "cores",
            "git_commit",
            "jvm_warmup_s",
            "date")) {
      assertTrue(run.containsKey(key), key);
    }
    List<?> list = (List<?>) root.get("points");
    assertEquals(3, list.size());
    Map<?, ?> first = (Map<?, ?>) list.get(0);
    assertEquals("vanilla", first.get("config"));
    assertEquals(3000.0, first.get("count"));
    assertEquals(2.0, first.get("errors"));
    assertEquals(1500.0, (Double) first.get("throughput"), 1e-9);
    assertEquals(0.5, (Double) first.get("fsyncs_per_entry"), 1e-9);
    assertEquals("vanilla/c1", first.get("dir"));
    Map<?, ?> latency = (Map<?, ?>) first.get("latency_us");
    double previous = 0;
    for (String p : List.of("p50", "p90", "p99", "p99_9", "max")) {
      double v = (Double) latency.get(p);
      assertTrue(v >= previous, p);
      previous = v;
    }
    Map<?, ?> second = (Map<?, ?>) list.get(1);
    assertEquals("batching=true", second.get("settings"));
    assertNull(second.get("fsyncs_per_entry"));
    assertNull(first.get("fast_path"), "no fast-path counters when it was off");
    Map<?, ?> fast = (Map<?, ?>) second.get("fast_path");
    assertEquals(200.0, fast.get("attempts"));
    assertEquals(150.0, fast.get("completed"));
    assertEquals(40.0, fast.get("refused"));
    assertEquals(10.0, fast.get("timed_out"));
    assertEquals(50.0, fast.get("bypassed"));
    assertTrue(((String) second.get("flags")).contains("batching=true"));
    assertFalse(first.containsKey("durability_fsyncs_per_entry"), "fast path off: no such field");
    assertTrue(second.containsKey("durability_fsyncs_per_entry"));
    assertNull(second.get("durability_fsyncs_per_entry"));
    Map<?, ?> third = (Map<?, ?>) list.get(2);
    assertEquals(120.0, third.get("leader_durability_fsyncs"));
    assertEquals(0.04, (Double) third.get("durability_fsyncs_per_entry"), 1e-9);
    assertEquals(0.01, (Double) third.get("fsyncs_per_entry"), 1e-9);
    assertNull(first.get("jit"), "not probed");
    Map<?, ?> jit = (Map<?, ?>) third.get("jit");
    assertEquals(2000.0, jit.get("window_ms"));
    assertEquals(400.0, jit.get("client_ms"));
    assertEquals(Map.of("1", 300.0, "2", 200.0, "3", 100.0), jit.get("node_ms"));
    // 1000 ms of compiling over a 2000 ms window: half a core.
    assertEquals(50.0, (Double) jit.get("core_percent"), 1e-9);
    assertNull(first.get("cpu"), "not probed");
    Map<?, ?> cpu = (Map<?, ?>) third.get("cpu");
    assertEquals(600.0, cpu.get("client_ms"));
    assertEquals(Map.of("1", 900.0, "2", 500.0, "3", 400.0), cpu.get("node_ms"));
    // 2400 ms of CPU in a 2000 ms window: 1.2 cores; over 3000 operations: 800 us each, 600 of
    // them in the nodes.
    assertEquals(1.2, (Double) cpu.get("cores"), 1e-9);
    assertEquals(800.0, (Double) cpu.get("us_per_op"), 1e-9);
    assertEquals(600.0, (Double) cpu.get("node_us_per_op"), 1e-9);
    assertNull(first.get("gc"), "not probed");
    Map<?, ?> gc = (Map<?, ?>) third.get("gc");
    assertEquals(Map.of("1", 40.0, "2", 0.0, "3", 25.0), gc.get("node_ms"));
    assertEquals(65.0, gc.get("node_total_ms"));
    assertEquals(40.0, gc.get("node_max_ms"));
    assertEquals(5.0, gc.get("client_ms"));
  }

  @Test
  void csvHasAHeaderAndOneRowPerPointWithTheSameColumnCount() throws IOException {
    ComparisonReport.write(dir, meta(), points());
    List<String> lines = Files.readAllLines(dir.resolve("summary.csv"));
    assertEquals(ComparisonReport.CSV_HEADER, lines.get(0));
    assertEquals(4, lines.size());
    int columns = ComparisonReport.CSV_HEADER.split(",").length;
    for (String line : lines.subList(1, lines.size())) {
      // The flags column is quoted: it holds commas.
      String unquoted = line.replaceAll("\"[^\"]*\"", "q");
      assertEquals(columns, unquoted.split(",", -1).length, line);
    }
    assertTrue(lines.get(1).startsWith("vanilla,vanilla,,"));
    assertTrue(lines.get(1).endsWith(",1,1500,3000,0.500" + ",".repeat(13) + "1"), lines.get(1));
    assertTrue(lines.get(2).endsWith(",2,,,,,,200,150,50" + ",".repeat(8) + "1"), lines.get(2));
    assertTrue(
        lines
            .get(3)
            .endsWith(
                ",3,30,3000,0.010,120,0.040,200,150,50,1000,50.000,2400,1800,800.000,65,40,1"),
        lines.get(3));
    assertEquals("\"a,b\"", ComparisonReport.csvText("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", ComparisonReport.csvText("say \"hi\""));
  }

  @Test
  void aRepeatedComparisonReportsMediansAndRatiosRoundByRound() throws IOException {
    // 3000 operations each: 1500/s over 2 s, 1000/s over 3 s, 3000/s over 1 s.
    List<PointResult> points =
        List.of(
            RoundSummaryTest.point(VANILLA, 1, 1, 2.0),
            RoundSummaryTest.point(BATCHING, 1, 1, 1.0),
            RoundSummaryTest.point(VANILLA, 1, 2, 3.0),
            RoundSummaryTest.point(BATCHING, 1, 2, 2.0));
    ComparisonReport.write(dir, meta(2), points);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("## Over 2 rounds"), md);
    // Batching: 3000 then 1500 ops/s against 1500 then 1000: ratios 2.00 and 1.50, median 1.75.
    assertTrue(md.contains("| vanilla+batching | 1 | 2 | 2250 | 1500 | 3000 |"), md);
    // Same latencies everywhere: every p50 ratio is 1.
    assertTrue(md.contains("| 2.00, 1.50 | 1.75 | 1.00, 1.00 | 1.00 |"), md);
    assertTrue(md.contains("| vanilla | 1 | 2 | 1250 | 1000 | 1500 |"), md);
    assertTrue(md.contains("| 1.00, 1.00 | 1.00 | 1.00, 1.00 | 1.00 |"), md);
    assertTrue(md.contains("| config | round | flags |"), md);
    assertTrue(md.contains("| vanilla+batching | 2 | vanilla + batching=true | 1 | 1500 |"), md);

    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(dir.resolve("summary.json"))).parse();
    assertEquals(2.0, ((Map<?, ?>) root.get("run")).get("rounds"));
    Map<?, ?> last = (Map<?, ?>) ((List<?>) root.get("points")).get(3);
    assertEquals(2.0, last.get("round"));
    assertEquals("vanilla+batching/r2/c1", last.get("dir"));
    List<?> over = (List<?>) root.get("over_rounds");
    assertEquals(2, over.size());
    Map<?, ?> batching = (Map<?, ?>) over.get(1);
    assertEquals("vanilla+batching", batching.get("config"));
    assertEquals("vanilla", batching.get("ratio_to"));
    assertEquals(List.of(3000.0, 1500.0), batching.get("throughput"));
    assertEquals(List.of(2.0, 1.5), batching.get("ratios"));
    assertEquals(1.75, (Double) batching.get("ratio_median"), 1e-9);
    assertEquals(List.of(1.0, 1.0), batching.get("p50_ratios"));
    assertEquals(1.0, (Double) batching.get("p50_ratio_median"), 1e-9);
    assertEquals(2250.0, (Double) batching.get("throughput_median"), 1e-9);

    List<String> csv = Files.readAllLines(dir.resolve("summary.csv"));
    assertTrue(csv.get(4).endsWith(",2"), csv.get(4));
  }

  @Test
  void aSingleRoundHasNoRoundsTable() throws IOException {
    ComparisonReport.write(dir, meta(), points());
    assertFalse(Files.readString(dir.resolve("report.md")).contains("rounds"));
    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(dir.resolve("summary.json"))).parse();
    assertFalse(root.containsKey("over_rounds"));
  }

  @Test
  void markdownIsATableOfConfigurationByClients() throws IOException {
    ComparisonReport.write(dir, meta(), points());
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("| config | flags | clients | ops/s |"), md);
    // 3000 ops in 2 s; p50 of 1..1000 and 10..2009 together is about 0.67 ms.
    assertTrue(md.contains("| vanilla | vanilla | 1 | 1500 |"), md);
    assertTrue(md.contains("| 2 | 0.500 |  |  |  |"), md);
    // 150 of 250 updates (200 attempts, 50 bypassed) completed on the fast path.
    assertTrue(md.contains("| 2 |  |  | 60.0% |  |"), md);
    // 30 Raft-log and 120 durability-log fsyncs for 3000 committed entries; half a core compiling;
    // 800 us of CPU per operation; 65 ms of GC pauses in the nodes.
    assertTrue(md.contains("| 0.010 | 0.040 | 60.0% | 50.0 | 800 | 65 |"), md);
    assertTrue(md.contains("| vanilla+batching | vanilla + batching=true | 1 | 1500 |"), md);
    assertTrue(md.contains("durability `fsync`"), md);
    assertTrue(md.contains("warmed up for 15 s at 16 clients first"), md);
  }
}
