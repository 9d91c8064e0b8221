package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare --repeat 2} against real 3-node clusters: every configuration runs once per round
 * on a fresh cluster, in turn, and the report pairs the rounds.
 */
class CompareRepeatIT {
  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twoRoundsRunEveryConfigurationTwiceInTurnAndReportTheirRatios() throws IOException {
    Path out = dir.resolve("run");
    CapturedRun run =
        CapturedRun.of(
            "compare",
            "--variants",
            "optimized,vanilla",
            "--clients",
            "2",
            "--repeat",
            "2",
            "--duration",
            "1s",
            "--warmup",
            "0s",
            "--jvm-warmup",
            "0s",
            "--durability",
            "memory",
            "--keys",
            "100",
            "--out",
            out.toString());
    String text = run.output();
    assertEquals(0, run.exitCode(), text);
    // In turn: optimized, vanilla, optimized, vanilla.
    List<String> order =
        text.lines().filter(l -> l.startsWith("== point")).map(l -> l.split(": ")[1]).toList();
    assertEquals(
        List.of(
            "optimized round 1, 2 clients",
            "vanilla round 1, 2 clients",
            "optimized round 2, 2 clients",
            "vanilla round 2, 2 clients"),
        order.stream().map(l -> l.substring(0, l.indexOf(" (leader"))).toList(),
        text);
    assertEquals(
        0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "children");

    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(out.resolve("summary.json"))).parse();
    assertEquals(2.0, ((Map<?, ?>) root.get("run")).get("rounds"));
    List<?> points = (List<?>) root.get("points");
    assertEquals(4, points.size());
    for (Object o : points) {
      Map<?, ?> p = (Map<?, ?>) o;
      Path pointDir = out.resolve((String) p.get("dir"));
      assertTrue(
          ((String) p.get("dir")).matches("(optimized|vanilla)/r[12]/c2"), (String) p.get("dir"));
      assertTrue(Files.size(pointDir.resolve("put.hgrm")) > 0, pointDir.toString());
    }
    assertTrue(Files.size(out.resolve("vanilla/r2/logs/node-1.log")) > 0);
    List<?> over = (List<?>) root.get("over_rounds");
    assertEquals(2, over.size());
    Map<?, ?> vanilla = (Map<?, ?>) over.get(1);
    assertEquals("optimized", vanilla.get("ratio_to"));
    List<?> ratios = (List<?>) vanilla.get("ratios");
    assertEquals(2, ratios.size());
    for (Object r : ratios) {
      assertTrue((Double) r > 0, vanilla.toString());
    }
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("## Over 2 rounds"), md);
    assertTrue(md.contains("| vanilla | 2 | 2 |"), md);
  }
}
