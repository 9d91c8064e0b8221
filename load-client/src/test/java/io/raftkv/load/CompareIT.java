package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short {@code compare} of vanilla and optimized against real 3-node clusters of child JVMs
 * (raft/target/raft.jar), and the coherence of every file it writes.
 */
class CompareIT {
  @TempDir Path dir;

  static final List<String> CONFIGS = List.of("vanilla", "optimized");
  static final List<Integer> CLIENTS = List.of(1, 2);

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aShortComparisonWritesCoherentFilesAndStopsEveryNode() throws IOException {
    Path out = dir.resolve("run");
    CapturedRun run =
        CapturedRun.of(
            "compare",
            "--variants",
            String.join(",", CONFIGS),
            "--clients",
            "1,2",
            "--duration",
            "2s",
            "--warmup",
            "1s",
            "--jvm-warmup",
            "1s",
            "--jvm-warmup-clients",
            "2",
            "--jvm-settle",
            "2s",
            "--durability",
            "memory",
            "--keys",
            "100",
            "--out",
            out.toString());
    String text = run.output();
    assertEquals(0, run.exitCode(), text);
    assertTrue(text.contains("point 4 of 4"), text);
    assertEquals(
        CONFIGS.size(),
        text.lines().filter(l -> l.contains("JVM warm-up: 2 clients for 1 s")).count(),
        text);
    assertEquals(
        CONFIGS.size(),
        text.lines().filter(l -> l.contains("JIT settled") || l.contains("JIT still at")).count(),
        text);
    assertEquals(
        0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "children");

    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(out.resolve("summary.json"))).parse();
    assertEquals("memory", ((Map<?, ?>) root.get("run")).get("durability"));
    assertEquals(1.0, ((Map<?, ?>) root.get("run")).get("jvm_warmup_s"));
    List<?> points = (List<?>) root.get("points");
    assertEquals(CONFIGS.size() * CLIENTS.size(), points.size());
    for (Object o : points) {
      Map<?, ?> p = (Map<?, ?>) o;
      String where = p.get("config") + " c" + p.get("clients");
      assertTrue((Double) p.get("throughput") > 0, where);
      Map<?, ?> lat = (Map<?, ?>) p.get("latency_us");
      double p50 = (Double) lat.get("p50");
      double p99 = (Double) lat.get("p99");
      double p999 = (Double) lat.get("p99_9");
      double max = (Double) lat.get("max");
      assertTrue(0 < p50 && p50 <= p99 && p99 <= p999 && p999 <= max, where + " " + lat);
      // The point's own summary.json (written by LoadRunner) has the same counts per op.
      Path pointDir = out.resolve((String) p.get("dir"));
      Map<?, ?> own =
          (Map<?, ?>)
              new ReportTest.JsonCheck(Files.readString(pointDir.resolve("summary.json"))).parse();
      Map<?, ?> ops = (Map<?, ?>) own.get("ops");
      double count = 0;
      double errors = 0;
      for (Object op : ops.values()) {
        count += (Double) ((Map<?, ?>) op).get("count");
        errors += (Double) ((Map<?, ?>) op).get("error_count");
      }
      assertEquals(count, (Double) p.get("count"), where);
      assertEquals(errors, (Double) p.get("errors"), where);
      assertEquals(count, (Double) ((Map<?, ?>) own.get("total")).get("count"), where);
      for (String f : List.of("put.hgrm", "get.hgrm", "put.hlog", "get.hlog")) {
        assertTrue(Files.size(pointDir.resolve(f)) > 0, where + " " + f);
      }
      // Memory durability: the leader never fsyncs, and it committed entries in the window.
      assertEquals(0.0, p.get("leader_fsyncs"), where);
      assertTrue((Double) p.get("leader_committed_entries") > 0, where);
      // Every node JVM and the client reported their compile time over the window.
      Map<?, ?> jit = (Map<?, ?>) p.get("jit");
      assertEquals(Set.of("1", "2", "3"), ((Map<?, ?>) jit.get("node_ms")).keySet(), where);
      assertTrue((Double) jit.get("window_ms") >= 1000, where + " " + jit);
      assertTrue((Double) jit.get("client_ms") >= 0, where + " " + jit);
      assertTrue((Double) jit.get("core_percent") >= 0, where + " " + jit);
      // Every JVM used CPU in a measured window of over a second, and less than all the cores.
      Map<?, ?> cpu = (Map<?, ?>) p.get("cpu");
      Map<?, ?> nodeCpu = (Map<?, ?>) cpu.get("node_ms");
      assertEquals(Set.of("1", "2", "3"), nodeCpu.keySet(), where);
      for (Object ms : nodeCpu.values()) {
        assertTrue((Double) ms > 0, where + " " + cpu);
      }
      assertTrue((Double) cpu.get("client_ms") > 0, where + " " + cpu);
      double cores = (Double) cpu.get("cores");
      assertTrue(
          cores > 0 && cores <= Runtime.getRuntime().availableProcessors() + 0.5,
          where + " " + cpu);
      assertTrue(
          (Double) cpu.get("us_per_op") > (Double) cpu.get("node_us_per_op"), where + " " + cpu);
      Map<?, ?> gc = (Map<?, ?>) p.get("gc");
      assertEquals(Set.of("1", "2", "3"), ((Map<?, ?>) gc.get("node_ms")).keySet(), where);
      assertTrue(
          (Double) gc.get("node_max_ms") <= (Double) gc.get("node_total_ms"), where + " " + gc);
    }

    List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
    assertEquals(ComparisonReport.CSV_HEADER, csv.get(0));
    assertEquals(1 + points.size(), csv.size());
    String md = Files.readString(out.resolve("report.md"));
    for (String config : CONFIGS) {
      for (int n : CLIENTS) {
        assertTrue(md.contains("| " + config + " | " + config + " | " + n + " |"), md);
      }
      assertTrue(Files.size(out.resolve(config).resolve("logs").resolve("node-1.log")) > 0);
    }
    List<String> pngs =
        List.of(
            "throughput-vs-clients.png",
            "p99-vs-clients.png",
            "latency-percentiles-c1.png",
            "latency-percentiles-c2.png",
            "throughput-over-time-c1.png",
            "throughput-over-time-c2.png");
    for (String png : pngs) {
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(image, png);
      assertTrue(Files.size(out.resolve(png)) > 5_000, png);
    }
  }
}
