package io.raftkv.load;

import io.raftkv.server.JitTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every node's {@code status} and this JVM's compile time, read once when a window opens and once
 * when it closes (without blocking the caller), from which both the leader's counters ({@link
 * LeaderWindow}) and the JIT's share ({@link JitWindow}) over the window are derived.
 */
final class StatusProbe {
  private final LocalCluster cluster;
  private final int nodes;
  private volatile Reading atStart;
  private volatile Reading atEnd;

  private record Reading(
      long nanos, long client, Map<Integer, CompletableFuture<Map<String, String>>> nodes) {}

  /** What one window edge answered: status fields per node that answered. */
  private record Answers(long nanos, long client, Map<Integer, Map<String, String>> nodes) {}

  StatusProbe(LocalCluster cluster, int nodes) {
    this.cluster = cluster;
    this.nodes = nodes;
  }

  void windowOpens() {
    atStart = read();
  }

  void windowCloses() {
    atEnd = read();
  }

  private Reading read() {
    Map<Integer, CompletableFuture<Map<String, String>>> asked = new LinkedHashMap<>();
    for (int id = 1; id <= nodes; id++) {
      asked.put(id, cluster.statusAsync(id));
    }
    return new Reading(System.nanoTime(), JitTime.totalMillis(), asked);
  }

  /** The leader's counters over the window; waits a bounded time for the answers. */
  LeaderWindow leader(int leaderId) throws InterruptedException {
    if (atStart == null || atEnd == null) {
      return LeaderWindow.missing(leaderId, "the measured window did not open and close");
    }
    Map<String, String> before = answers(atStart).nodes().get(leaderId);
    Map<String, String> after = answers(atEnd).nodes().get(leaderId);
    if (before == null || after == null) {
      return LeaderWindow.missing(leaderId, "no status from node " + leaderId);
    }
    return LeaderWindow.between(leaderId, before, after);
  }

  /** The compile times over the window; waits a bounded time for the answers. */
  JitWindow jit() throws InterruptedException {
    if (atStart == null || atEnd == null) {
      return JitWindow.unknown();
    }
    Answers start = answers(atStart);
    Answers end = answers(atEnd);
    return JitWindow.between(
        start.nodes(),
        end.nodes(),
        start.client(),
        end.client(),
        TimeUnit.NANOSECONDS.toMillis(end.nanos() - start.nanos()));
  }

  private static Answers answers(Reading r) throws InterruptedException {
    Map<Integer, Map<String, String>> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, CompletableFuture<Map<String, String>>> e : r.nodes().entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get(5, TimeUnit.SECONDS));
      } catch (ExecutionException | TimeoutException ex) {
        // A node that did not answer (killed in a failover run) has no figure.
      }
    }
    return new Answers(r.nanos(), r.client(), out);
  }
}
