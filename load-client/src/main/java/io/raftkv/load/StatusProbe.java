package io.raftkv.load;

import io.raftkv.server.JvmTimes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every node's {@code status} and this JVM's compile, CPU and GC times, read once when a window
 * opens and once when it closes (without blocking the caller), from which the leader's counters
 * ({@link LeaderWindow}) and the JIT's share, the CPU used and the GC pauses ({@link
 * JvmTimeWindow}) over the window are derived.
 */
final class StatusProbe {
  private final LocalCluster cluster;
  private final int nodes;
  private volatile Reading atStart;
  private volatile Reading atEnd;

  /** The two edges' answers, waited for once (by the first query) and kept; caller thread only. */
  private Answers startAnswers;

  private Answers endAnswers;

  /** One window edge: when, this JVM's clocks by status field name, and the nodes' answers. */
  private record Reading(
      long nanos,
      Map<String, Long> client,
      Map<Integer, CompletableFuture<Map<String, String>>> nodes) {}

  /** What one window edge answered: status fields per node that answered. */
  private record Answers(
      long nanos, Map<String, Long> client, Map<Integer, Map<String, String>> nodes) {}

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
    Map<String, Long> client =
        Map.of(
            JvmTimeWindow.JIT,
            JvmTimes.compileMillis(),
            JvmTimeWindow.CPU,
            JvmTimes.cpuMillis(),
            JvmTimeWindow.GC,
            JvmTimes.gcMillis());
    return new Reading(System.nanoTime(), client, asked);
  }

  /** The leader's counters over the window; waits a bounded time for the answers. */
  LeaderWindow leader(int leaderId) throws InterruptedException {
    if (atStart == null || atEnd == null) {
      return LeaderWindow.missing(leaderId, "the measured window did not open and close");
    }
    Map<String, String> before = startAnswers().nodes().get(leaderId);
    Map<String, String> after = endAnswers().nodes().get(leaderId);
    if (before == null || after == null) {
      return LeaderWindow.missing(leaderId, "no status from node " + leaderId);
    }
    return LeaderWindow.between(leaderId, before, after);
  }

  /** The compile times over the window; waits a bounded time for the answers. */
  JvmTimeWindow jit() throws InterruptedException {
    return clock(JvmTimeWindow.JIT);
  }

  /** The process CPU times over the window; waits a bounded time for the answers. */
  JvmTimeWindow cpu() throws InterruptedException {
    return clock(JvmTimeWindow.CPU);
  }

  /** The garbage-collection pauses over the window; waits a bounded time for the answers. */
  JvmTimeWindow gc() throws InterruptedException {
    return clock(JvmTimeWindow.GC);
  }

  private JvmTimeWindow clock(String field) throws InterruptedException {
    if (atStart == null || atEnd == null) {
      return JvmTimeWindow.unknown();
    }
    Answers start = startAnswers();
    Answers end = endAnswers();
    return JvmTimeWindow.between(
        field,
        start.nodes(),
        end.nodes(),
        start.client().get(field),
        end.client().get(field),
        TimeUnit.NANOSECONDS.toMillis(end.nanos() - start.nanos()));
  }

  private Answers startAnswers() throws InterruptedException {
    if (startAnswers == null) {
      startAnswers = answers(atStart);
    }
    return startAnswers;
  }

  private Answers endAnswers() throws InterruptedException {
    if (endAnswers == null) {
      endAnswers = answers(atEnd);
    }
    return endAnswers;
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
