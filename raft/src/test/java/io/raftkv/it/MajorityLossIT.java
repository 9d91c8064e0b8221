package io.raftkv.it;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClientOptions;
import io.raftkv.client.NoQuorumException;
import io.raftkv.client.RaftClient;
import io.raftkv.kv.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a majority of the nodes stopped, the client library fails a write with {@link
 * NoQuorumException} within its deadline (not a hang), and writes work again once a majority is
 * back. Three real server processes; every process is stopped in {@link #stopAll()}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MajorityLossIT {
  @TempDir Path dir;
  private ServerProcesses cluster;

  @AfterEach
  void stopAll() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void writesFailClearlyWithoutAMajorityAndResumeWhenItReturns() throws Exception {
    cluster = new ServerProcesses(3, dir, "fsync");
    cluster.startAll();
    int leader = cluster.awaitLeader(Duration.ofSeconds(10));
    assertNotEquals(0, leader);
    Duration deadline = Duration.ofSeconds(3);
    ClientOptions options =
        ClientOptions.of(cluster.clusterSpec())
            .withRequestTimeout(Duration.ofMillis(500))
            .withOperationDeadline(deadline);
    try (RaftClient client = RaftClient.connect(options)) {
      client.put(Bytes.utf8("before"), Bytes.utf8("1")).get(10, TimeUnit.SECONDS);
      for (int id : cluster.ids()) {
        if (id != leader) {
          cluster.stop(id);
        }
      }
      // Check-quorum: the lone leader steps down within about two election timeouts.
      assertTrue(awaitNoLeader(Duration.ofSeconds(5)), "node " + leader + " kept leading");

      long start = System.nanoTime();
      ExecutionException failure =
          assertThrows(
              ExecutionException.class,
              () -> client.put(Bytes.utf8("during"), Bytes.utf8("2")).get(30, TimeUnit.SECONDS));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertInstanceOf(NoQuorumException.class, failure.getCause(), failure.toString());
      assertTrue(
          tookMillis < deadline.toMillis() + 2_000,
          "failing took " + tookMillis + " ms with a " + deadline + " deadline");

      cluster.start(leader % 3 + 1);
      assertNotEquals(0, cluster.awaitLeader(Duration.ofSeconds(15)), "no leader with 2 of 3");
      client.put(Bytes.utf8("after"), Bytes.utf8("3")).get(20, TimeUnit.SECONDS);
      assertTrue(
          client.get(Bytes.utf8("before")).get(20, TimeUnit.SECONDS).isPresent(),
          "the write acknowledged before the outage is gone");
    }
  }

  private boolean awaitNoLeader(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (cluster.awaitLeader(Duration.ofMillis(200)) == 0) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
