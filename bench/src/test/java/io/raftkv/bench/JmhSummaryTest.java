package io.raftkv.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhSummaryTest {
  /** A trimmed JMH 1.37 result: a sample-mode group benchmark with -prof gc. */
  private static final String RESULT =
      """
      [{"jmhVersion": "1.37", "benchmark": "io.raftkv.bench.ClusterBenchmark.mixed",
        "mode": "sample", "threads": 2, "forks": 1, "jvmArgs": ["-Xmx1g"],
        "jdkVersion": "17.0.15", "vmName": "OpenJDK", "vmVersion": "17",
        "measurementIterations": 1, "measurementTime": "1 s",
        "params": {"variant": "vanilla", "durability": "fsync"},
        "primaryMetric": {"score": 1.25, "scoreError": "NaN", "scoreUnit": "ms/op",
          "scorePercentiles": {"50.0": 1.0, "99.0": 4.5}},
        "secondaryMetrics": {
          "gc.alloc.rate.norm": {"score": 2048.0, "scoreError": "NaN", "scoreUnit": "B/op"},
          "mixedPut": {"score": 1.5, "scoreError": "NaN", "scoreUnit": "ms/op",
            "scorePercentiles": {"50.0": 1.25, "99.0": 5.0}},
          "mixedPut:p0.50": {"score": 1.25, "scoreError": "NaN", "scoreUnit": "ms/op"},
          "p0.50": {"score": 1.0, "scoreError": "NaN", "scoreUnit": "ms/op"}}}]
      """;

  @Test
  void summarizesEveryRunOfTheDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("run-1.json"), RESULT);
    Files.writeString(
        dir.resolve("run-1.run.properties"), "commit=abc\ncommand=java -jar x 'a|b'\n");
    JmhSummary.main(new String[] {dir.toString()});
    String md = Files.readString(dir.resolve("summary.md"));
    assertTrue(md.contains("## run-1"), md);
    assertTrue(md.contains("- command: `java -jar x 'a|b'`"), md);
    assertTrue(md.contains("- variant `vanilla`: batching=false"), md);
    assertTrue(md.contains("### ClusterBenchmark"), md);
    assertTrue(
        md.contains(
            "| mixed | variant=vanilla, durability=fsync | sample | 2 | 1 x 1 x 1 s | 1.250 | n/a"
                + " | ms/op | 1.000 | 4.500 | 2,048 |"),
        md);
    assertTrue(md.contains("| mixed:mixedPut | variant=vanilla, durability=fsync | sample"), md);
    assertTrue(!md.contains("p0.50 |") && !md.contains(":p0.50"), md);
  }
}
