package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClientConnectionPool;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.RaftClient;
import io.raftkv.core.Role;
import io.raftkv.kv.Bytes;
import io.raftkv.storage.Durability;
import io.raftkv.transport.netty.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fastpath} variant end to end on a 3-node in-process cluster with the real client
 * library: updates complete on the fast path (every replica holds them in its durability log),
 * reads of pending keys see them, a node down sends updates to the ordered path, and a new leader
 * recovers updates that completed on the fast path under the old one.
 */
class FastPathServerTest {
  private static final Duration WAIT = InProcessCluster.WAIT;

  private InProcessCluster cluster;
  private ClientConnectionPool pool;
  private Map<String, String> settings = Map.of();

  @AfterEach
  void shutDown() {
    if (pool != null) {
      pool.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void startCluster(Path dir) throws IOException {
    cluster = new InProcessCluster(3, "fastpath", settings, Durability.FSYNC, dir);
    pool =
        ClientConnectionPool.open(
            ClientOptions.of(cluster.clientAddresses())
                .withFastPath(true, Duration.ofMillis(200))
                .withOperationDeadline(Duration.ofSeconds(8)));
  }

  private int awaitLeader() throws InterruptedException {
    return cluster.awaitLeader();
  }

  private static void put(RaftClient c, String k, String v) throws Exception {
    c.put(Bytes.utf8(k), Bytes.utf8(v)).get(10, TimeUnit.SECONDS);
  }

  private static Optional<Bytes> get(RaftClient c, String k) throws Exception {
    return c.get(Bytes.utf8(k)).get(10, TimeUnit.SECONDS);
  }

  private long accepted() {
    return cluster.servers().values().stream().mapToLong(s -> s.status().fastPathAccepted()).sum();
  }

  private Map<Integer, Long> durabilityFsyncs() {
    Map<Integer, Long> m = new TreeMap<>();
    cluster.servers().forEach((id, s) -> m.put(id, s.status().durabilityFsyncs()));
    return m;
  }

  @Test
  void updatesCompleteOnTheFastPathAndReadsSeeThem(@TempDir Path dir) throws Exception {
    startCluster(dir);
    awaitLeader();
    RaftClient c = pool.newSession();
    put(c, "warm", "up");
    long before = accepted();
    Map<Integer, Long> syncsBefore = durabilityFsyncs();
    for (int i = 0; i < 20; i++) {
      put(c, "k" + i, "v" + i);
    }
    // Status is a snapshot each node publishes at the end of its loop iteration, just after the
    // acknowledgments left: wait for it rather than read it the moment the last put returned.
    RawClient.await(WAIT, () -> accepted() >= before + 60);
    assertEquals(before + 60, accepted(), "every replica accepted every update");
    Map<Integer, Long> syncsAfter = durabilityFsyncs();
    for (int id : syncsAfter.keySet()) {
      // One put at a time: each update is a write of its own, forced before it is acknowledged.
      assertTrue(
          syncsAfter.get(id) - syncsBefore.get(id) >= 20,
          "node " + id + ": " + syncsBefore + " -> " + syncsAfter);
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(Optional.of(Bytes.utf8("v" + i)), get(c, "k" + i));
    }
    assertTrue(
        RawClient.await(
            WAIT,
            () ->
                cluster.servers().values().stream()
                    .allMatch(s -> s.status().durabilityLogSize() == 0)),
        "ordered and applied updates leave every durability log");
  }

  @Test
  void aNodeDownSendsUpdatesToTheOrderedPath(@TempDir Path dir) throws Exception {
    startCluster(dir);
    int leader = awaitLeader();
    int follower = leader == 1 ? 2 : 1;
    cluster.stop(follower);
    RaftClient c = pool.newSession();
    long before = accepted();
    put(c, "a", "1");
    put(c, "a", "2");
    assertTrue(accepted() - before <= 4, "a supermajority of 3 is all 3: no fast completion");
    assertEquals(Optional.of(Bytes.utf8("2")), get(c, "a"));
  }

  @Test
  void aNewLeaderRecoversFastPathUpdates(@TempDir Path dir) throws Exception {
    // Never order in the background: the updates are only in the durability logs when the leader
    // stops, so only the new leader's recovery can bring them into the Raft log.
    settings = Map.of("orderDelayTicks", "1000000", "orderBatchSize", "1000000");
    startCluster(dir);
    int old = awaitLeader();
    RaftClient c = pool.newSession();
    put(c, "warm", "up");
    long before = accepted();
    for (int i = 0; i < 10; i++) {
      put(c, "r" + i, "v" + i);
    }
    // Status snapshots are published after the acknowledgments left: wait for them.
    RawClient.await(
        WAIT,
        () ->
            accepted() >= before + 30
                && cluster.servers().values().stream()
                    .allMatch(s -> s.status().durabilityLogSize() >= 10));
    assertEquals(before + 30, accepted(), "every update completed on the fast path");
    long applied = cluster.server(old).status().appliedIndex();
    assertTrue(
        cluster.servers().values().stream().allMatch(s -> s.status().durabilityLogSize() >= 10),
        "the updates wait in every durability log");
    cluster.stop(old);
    assertTrue(
        RawClient.await(
            WAIT,
            () ->
                cluster.servers().values().stream()
                    .anyMatch(s -> s.status().role() == Role.LEADER && s.status().id() != old)),
        "a new leader is elected");
    for (int i = 0; i < 10; i++) {
      assertEquals(Optional.of(Bytes.utf8("v" + i)), get(c, "r" + i), "r" + i);
    }
    assertTrue(
        cluster.servers().values().stream().allMatch(s -> s.status().appliedIndex() > applied + 10),
        "the recovered updates were ordered into the Raft log");
  }
}
