package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.history.HistoryJson;
import io.raftkv.history.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --history} against a real 3-node cluster (child JVMs, fsync durability) whose leader
 * is killed with SIGKILL during the load; {@code check} must find the history linearizable.
 */
class RunHistoryIT {
  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aHistoryRecordedThroughALeaderKillIsLinearizable() throws Exception {
    Path history = dir.resolve("history.jsonl");
    ClusterConfig vanilla = new ClusterConfig("vanilla", "vanilla", Map.of());
    LocalCluster.Spec spec =
        new LocalCluster.Spec(vanilla, "fsync", 3, Duration.ZERO, "512m", RaftJar.locate());
    String text;
    try (LocalCluster cluster = LocalCluster.start(spec)) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      String[] args = {
        "run",
        "--cluster",
        cluster.clusterSpec(),
        "--clients",
        "4",
        "--mix",
        "put=40,get=40,cas=20",
        "--keys",
        "6",
        "--value-size",
        "1",
        "--warmup",
        "0s",
        "--duration",
        "4s",
        "--history",
        history.toString(),
        "--out",
        dir.resolve("run").toString()
      };
      CompletableFuture<CapturedRun> run =
          CompletableFuture.supplyAsync(() -> CapturedRun.of(args));
      // Kill the leader once it has committed some of the load (bounded wait).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (int polls = 0;
          polls < 400
              && committed(cluster, leader) < 100
              && System.nanoTime() < deadline
              && !run.isDone();
          polls++) {
        Thread.sleep(50);
      }
      cluster.kill(leader);
      CapturedRun done = run.get(60, TimeUnit.SECONDS);
      assertEquals(0, done.exitCode(), done.output());
      text = done.output();
      int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
      assertTrue(newLeader != leader);
    }
    List<Operation> ops = HistoryJson.read(history);
    assertTrue(ops.size() > 50, ops.size() + " operations");
    assertTrue(ops.stream().anyMatch(o -> o.type().jsonName().equals("cas")));
    assertTrue(text.contains("history of " + ops.size() + " operations"), text);
    CapturedRun check = CapturedRun.of("check", history.toString());
    assertEquals(0, check.exitCode(), check.output());
  }

  private static long committed(LocalCluster cluster, int id) throws Exception {
    return Long.parseLong(cluster.status(id).get("commitIndex"));
  }
}
