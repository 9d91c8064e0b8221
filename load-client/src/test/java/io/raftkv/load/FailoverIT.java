package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * {@code failover} against a real 3-node vanilla cluster: the leader is killed with SIGKILL during
 * a mixed put/get/cas load recorded with {@code --history}; the window is reported, the files are
 * written, and the history is linearizable.
 */
class FailoverIT {
  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killingTheLeaderGivesAWindowAFileSetAndALinearizableHistory() throws IOException {
    Path out = dir.resolve("run");
    Path histories = dir.resolve("histories");
    CapturedRun run =
        CapturedRun.of(
            "failover",
            "--variants",
            "vanilla",
            "--clients",
            "4",
            "--warmup",
            "1s",
            "--duration",
            "4s",
            "--kill-after",
            "1500ms",
            "--mix",
            "put=40,get=40,cas=20",
            "--keys",
            "8",
            "--value-size",
            "1",
            "--history",
            histories.toString(),
            "--out",
            out.toString());
    String text = run.output();
    assertEquals(0, run.exitCode(), text);
    assertEquals(
        0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "children");

    Map<?, ?> root =
        (Map<?, ?>) new ReportTest.JsonCheck(Files.readString(out.resolve("summary.json"))).parse();
    Map<?, ?> r = (Map<?, ?>) ((List<?>) root.get("results")).get(0);
    assertNotEquals(r.get("killed_leader"), r.get("new_leader"), text);
    Object window = r.get("unavailable_ms");
    assertTrue(window instanceof Double && (Double) window > 0, "window " + window + "\n" + text);
    assertTrue((Double) r.get("first_write_after_kill_ms") <= (Double) window);
    assertTrue((Double) r.get("throughput") > 0);
    for (String f :
        List.of(
            "throughput-over-time.png",
            "report.md",
            "vanilla/throughput-over-time.png",
            "vanilla/timeline.csv",
            "vanilla/put.hgrm",
            "vanilla/cas.hlog")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }

    Path history = histories.resolve("vanilla.jsonl");
    long lines = Files.readAllLines(history).size();
    assertTrue(lines >= (Double) r.get("count"), lines + " history lines");
    CapturedRun check = CapturedRun.of("check", history.toString());
    assertEquals(0, check.exitCode(), check.output());
  }
}
