package io.raftkv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClientConnectionPool;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.RaftClient;
import io.raftkv.kv.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast-path variant on three real server JVMs with fsync (DESIGN.md "Testing", part 3): the
 * leader is killed with SIGKILL while clients write on the fast path, with background ordering
 * slowed so that completed updates wait in the durability logs; every update a client saw complete
 * must be read back once a new leader has recovered them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FastPathIT {
  private static final Duration ELECTION_WAIT = Duration.ofSeconds(10);
  private static final List<String> FASTPATH =
      List.of("--variant", "fastpath", "--set", "orderDelayTicks=30");

  @TempDir Path dir;
  private ServerProcesses cluster;
  private ClientConnectionPool pool;

  @AfterEach
  void stopAll() throws IOException {
    if (pool != null) {
      pool.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void killingTheLeaderDuringFastPathWritesLosesNothingCompleted() throws Exception {
    cluster = new ServerProcesses(3, dir, "fsync");
    for (int id : cluster.ids()) {
      cluster.start(id, FASTPATH);
    }
    assertNotEquals(0, cluster.awaitLeader(ELECTION_WAIT), "no leader");
    pool =
        ClientConnectionPool.open(
            ClientOptions.of(cluster.clusterSpec())
                .withFastPath(true, Duration.ofMillis(200))
                .withOperationDeadline(Duration.ofSeconds(5)));
    ConcurrentLinkedQueue<String> completed = new ConcurrentLinkedQueue<>();
    int writers = 4;
    long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      loops.add(writeLoop(pool.newSession(), "w" + w + "-", 0, end, completed));
    }
    Thread.sleep(1_500);
    int leader = cluster.awaitLeader(ELECTION_WAIT);
    int beforeKill = completed.size();
    cluster.kill(leader);
    for (CompletableFuture<Void> loop : loops) {
      loop.get(30, TimeUnit.SECONDS);
    }
    assertTrue(beforeKill > 20, "too few fast-path writes before the kill: " + beforeKill);
    assertNotEquals(0, cluster.awaitLeader(ELECTION_WAIT), "no new leader");
    cluster.start(leader, FASTPATH);
    RaftClient reader = pool.newSession();
    int lost = 0;
    for (String key : completed) {
      Optional<Bytes> v = reader.get(Bytes.utf8(key)).get(10, TimeUnit.SECONDS);
      if (!v.equals(Optional.of(Bytes.utf8("v-" + key)))) {
        lost++;
      }
    }
    assertEquals(0, lost, lost + " of " + completed.size() + " completed writes lost");
  }

  /**
   * One closed-loop writer: puts {@code prefix + i} until {@code end}, recording each write that
   * completed; a failed write (no quorum, outcome unknown) is not recorded and the loop goes on.
   */
  private static CompletableFuture<Void> writeLoop(
      RaftClient c, String prefix, int i, long end, ConcurrentLinkedQueue<String> completed) {
    if (System.nanoTime() >= end || i >= 20_000) {
      return CompletableFuture.completedFuture(null);
    }
    String key = prefix + i;
    return c.put(Bytes.utf8(key), Bytes.utf8("v-" + key))
        .handle(
            (ok, err) -> {
              if (err == null) {
                completed.add(key);
              }
              return null;
            })
        .thenCompose(unused -> writeLoop(c, prefix, i + 1, end, completed));
  }
}
