package io.raftkv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-process scenarios (DESIGN.md "Testing", part 3): three server JVMs on 127.0.0.1-3, killed
 * with SIGKILL, restarted on their data, fed garbage. Every process is stopped in {@link
 * #stopAll()}, and every test is bounded by a timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterIT {
  private static final Duration ELECTION_WAIT = Duration.ofSeconds(10);
  private static final Duration OP_DEADLINE = Duration.ofSeconds(10);

  @TempDir Path dir;
  private ServerProcesses cluster;

  @AfterEach
  void stopAll() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ServerProcesses startCluster(String durability) throws Exception {
    cluster = new ServerProcesses(3, dir, durability);
    cluster.startAll();
    assertNotEquals(0, cluster.awaitLeader(ELECTION_WAIT), "no leader within " + ELECTION_WAIT);
    return cluster;
  }

  @Test
  void killingTheLeaderElectsAnotherAndLosesNothingAcknowledged() throws Exception {
    startCluster("fsync");
    ProbeKv kv = new ProbeKv(cluster);
    List<String> acked = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      assertTrue(kv.put("a" + i, "v" + i, OP_DEADLINE), "put a" + i);
      acked.add("a" + i);
    }
    int old = cluster.awaitLeader(ELECTION_WAIT);
    cluster.kill(old);
    long killedAt = System.nanoTime();
    int next = cluster.awaitLeader(ELECTION_WAIT);
    long electedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    assertNotEquals(0, next, "no new leader after killing node " + old);
    assertNotEquals(old, next);
    assertTrue(electedMillis < 5_000, "new leader took " + electedMillis + " ms");
    for (int i = 30; i < 60; i++) {
      assertTrue(kv.put("a" + i, "v" + i, OP_DEADLINE), "put a" + i + " after failover");
      acked.add("a" + i);
    }
    for (String key : acked) {
      assertEquals("v" + key.substring(1), kv.get(key, OP_DEADLINE), key);
    }
  }

  @Test
  void aRestartedFollowerCatchesUp() throws Exception {
    startCluster("fsync");
    ProbeKv kv = new ProbeKv(cluster);
    int leader = cluster.awaitLeader(ELECTION_WAIT);
    int follower = leader % 3 + 1;
    assertTrue(cluster.stop(follower) >= 0);
    for (int i = 0; i < 40; i++) {
      assertTrue(kv.put("f" + i, "v" + i, OP_DEADLINE));
    }
    cluster.start(follower);
    long leaderCommit = commitIndex(leader);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    long applied = -1;
    while (System.nanoTime() < deadline) {
      applied = appliedIndex(follower);
      if (applied >= leaderCommit) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(
        applied >= leaderCommit,
        "follower " + follower + " applied " + applied + ", leader committed " + leaderCommit);
  }

  @Test
  void everyAcknowledgedWriteSurvivesKillingAllNodesDuringLoad() throws Exception {
    startCluster("fsync");
    ProbeKv kv = new ProbeKv(cluster);
    List<Integer> acked = new ArrayList<>();
    long loadEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int i = 0;
    while (System.nanoTime() < loadEnd && i < 5_000) {
      if (kv.put("k" + i, "v" + i, Duration.ofSeconds(2))) {
        acked.add(i);
      }
      i++;
    }
    for (int id : cluster.ids()) {
      cluster.kill(id);
    }
    cluster.startAll();
    assertNotEquals(0, cluster.awaitLeader(ELECTION_WAIT), "no leader after restarting all");
    ProbeKv reader = new ProbeKv(cluster);
    int lost = 0;
    for (int k : acked) {
      if (!("v" + k).equals(reader.get("k" + k, OP_DEADLINE))) {
        lost++;
      }
    }
    assertTrue(acked.size() > 10, "too few writes acknowledged: " + acked.size());
    assertEquals(0, lost, lost + " of " + acked.size() + " acknowledged writes lost");
  }

  @Test
  void garbageOnThePortClosesOnlyThatConnection() throws Exception {
    startCluster("memory");
    int leader = cluster.awaitLeader(ELECTION_WAIT);
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);
    try (WireProbe bad = new WireProbe(cluster.host(leader), cluster.port(leader), 5_000)) {
      bad.sendRaw(random);
      assertTrue(bad.closedByServer(), "random bytes did not close the connection");
    }
    try (WireProbe bad = WireProbe.client(cluster.host(leader), cluster.port(leader), 5_000)) {
      bad.sendRaw(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
      assertTrue(bad.closedByServer(), "an oversized length did not close the connection");
    }
    assertEquals(leader, cluster.awaitLeader(ELECTION_WAIT));
    assertTrue(new ProbeKv(cluster).put("after-garbage", "ok", OP_DEADLINE));
  }

  @Test
  void aSecondProcessOnTheSameDataDirectoryFailsClearly() throws Exception {
    startCluster("fsync");
    Process second = cluster.startDuplicate(1);
    assertTrue(second.waitFor(30, TimeUnit.SECONDS), "second node on one directory kept running");
    assertNotEquals(0, second.exitValue());
    assertTrue(
        cluster.log(1).contains("in use by another raftkv process"),
        "no clear message in:\n" + cluster.log(1));
  }

  private long commitIndex(int id) throws IOException {
    return Long.parseLong(status(id, "commitIndex"));
  }

  private long appliedIndex(int id) {
    try {
      return Long.parseLong(status(id, "appliedIndex"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private String status(int id, String field) throws IOException {
    try (WireProbe p = WireProbe.client(cluster.host(id), cluster.port(id), 2_000)) {
      p.send(new Frame.StatusQuery(7));
      Frame f = p.receive();
      if (f instanceof Frame.StatusInfo info && info.fields().containsKey(field)) {
        return info.fields().get(field);
      }
      throw new IOException("no " + field + " in " + f);
    }
  }
}
