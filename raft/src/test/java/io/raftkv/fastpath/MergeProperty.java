package io.raftkv.fastpath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A randomized property check of {@link RecoveryMerge} against an oracle, over generated fast-path
 * histories and, for each, every majority (and larger set) of replicas with each member as the new
 * leader.
 *
 * <p>A history: clients (each with one update outstanding) send puts tagged with term 1 to every
 * replica; each copy is lost with some probability or arrives after a random delay; an update
 * completes when a supermajority including the old leader (replica 0) holds it, at the time the
 * last of those copies arrived (plus a little for the answers). A client sends its next update only
 * after the previous one completed or was given up. An update {@code a} precedes {@code b} in real
 * time if {@code a} completed before {@code b} was sent. Some updates are marked as already in the
 * Raft log.
 *
 * <p>Checked for every merge, with a failing case reported by seed, history and replica set:
 * completed updates are kept; kept and dropped are exactly the oracle's; the order respects every
 * precedence edge that is not on a cycle and each client's seq order; real-time-ordered completed
 * pairs always have the right edge and never the reverse one; the result does not depend on the
 * order of the other logs.
 */
final class MergeProperty {
  /** Counts over a run; equal runs give equal stats. */
  record Stats(
      long merges,
      long completedKept,
      long realTimePairs,
      long cycles,
      long cyclesFromAMajority,
      long realTimePairsOnCycles,
      long realTimeViolations) {}

  private final int n;
  private final int histories;
  private final long seed;
  private final Supermajority quorum;
  private final Random random;
  private long merges;
  private long completedKept;
  private long realTimePairs;
  private long cycles;
  private long majorityCycles;
  private long pairsOnCycles;
  private long violations;

  MergeProperty(int n, int histories, long seed) {
    this.n = n;
    this.histories = histories;
    this.seed = seed;
    this.quorum = new Supermajority(n);
    this.random = new Random(seed);
  }

  /** One generated update; the arrival times are never changed after generation. */
  @SuppressWarnings("ArrayRecordComponent") // compared by identity, as intended
  private record Update(
      NilextEntry entry, long send, long[] arrival, long completedAt, boolean ordered) {
    boolean completed() {
      return completedAt >= 0;
    }
  }

  Stats run() {
    for (int h = 0; h < histories; h++) {
      List<Update> updates = history();
      List<List<Update>> logs = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        logs.add(logOf(updates, r));
      }
      for (List<Integer> members : RecoveryMergeTest.subsetsOfAtLeast(n, quorum.majority())) {
        for (int leader : members) {
          check(h, updates, logs, members, leader);
        }
      }
    }
    return new Stats(
        merges, completedKept, realTimePairs, cycles, majorityCycles, pairsOnCycles, violations);
  }

  private List<Update> history() {
    int count = 2 + random.nextInt(7);
    int clients = 1 + random.nextInt(count);
    long[] nextFree = new long[clients];
    long[] seqOf = new long[clients];
    double loss = random.nextDouble() * 0.4;
    List<Update> updates = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      nextFree[c] = random.nextInt(10);
    }
    for (int u = 0; u < count; u++) {
      int c = random.nextInt(clients);
      long send = nextFree[c];
      long[] arrival = new long[n];
      List<Long> times = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        arrival[r] = random.nextDouble() < loss ? -1 : send + 1 + random.nextInt(20);
        if (arrival[r] >= 0) {
          times.add(arrival[r]);
        }
      }
      Collections.sort(times);
      long completedAt = -1;
      if (times.size() >= quorum.size() && arrival[0] >= 0) {
        completedAt = Math.max(arrival[0], times.get(quorum.size() - 1)) + 1 + random.nextInt(3);
      }
      nextFree[c] = (completedAt >= 0 ? completedAt : send + 50) + 1 + random.nextInt(5);
      NilextEntry e = TestEntries.put(1, c + 1, ++seqOf[c], "k" + random.nextInt(3));
      updates.add(new Update(e, send, arrival, completedAt, random.nextDouble() < 0.1));
    }
    return updates;
  }

  private static List<Update> logOf(List<Update> updates, int replica) {
    List<Update> log = new ArrayList<>();
    for (Update u : updates) {
      if (u.arrival()[replica] >= 0) {
        log.add(u);
      }
    }
    log.sort(
        (x, y) ->
            x.arrival()[replica] != y.arrival()[replica]
                ? Long.compare(x.arrival()[replica], y.arrival()[replica])
                : Integer.compare(updates.indexOf(x), updates.indexOf(y)));
    return log;
  }

  private void check(
      int h, List<Update> updates, List<List<Update>> all, List<Integer> members, int leader) {
    String where =
        "seed " + seed + ", history " + h + ", replicas " + members + ", leader " + leader;
    List<List<Update>> given = new ArrayList<>();
    given.add(all.get(leader));
    for (int r : members) {
      if (r != leader) {
        given.add(all.get(r));
      }
    }
    Set<NilextId> ordered = new HashSet<>();
    for (Update u : updates) {
      if (u.ordered()) {
        ordered.add(u.entry().id());
      }
    }
    RecoveryMerge.Result result = RecoveryMerge.merge(entries(given), quorum, 2, ordered::contains);
    merges++;

    // Kept and dropped are exactly the oracle's.
    List<Update> kept = new ArrayList<>();
    Set<NilextId> dropped = new HashSet<>();
    for (Update u : updates) {
      int holders = 0;
      for (List<Update> log : given) {
        holders += log.indexOf(u) >= 0 ? 1 : 0;
      }
      if (holders == 0 || u.ordered()) {
        continue;
      }
      if (holders >= quorum.recoveryThreshold()) {
        kept.add(u);
      } else {
        dropped.add(u.entry().id());
      }
      if (u.completed()) {
        require(holders >= quorum.recoveryThreshold(), where + ": completed " + u + " not kept");
        completedKept++;
      }
    }
    require(result.dropped().equals(dropped), where + ": dropped " + result.dropped());
    List<NilextEntry> order = result.toPropose();
    require(order.size() == kept.size(), where + ": proposed " + order);
    int k = kept.size();
    int[] pos = new int[k];
    for (int i = 0; i < k; i++) {
      pos[i] = order.indexOf(kept.get(i).entry());
      require(pos[i] >= 0, where + ": kept " + kept.get(i) + " not proposed");
    }

    boolean[][] edge = new boolean[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        edge[a][b] = a != b && edge(kept.get(a), kept.get(b), given);
      }
    }
    boolean[][] reach = closure(edge);
    boolean anyCycle = false;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        boolean onCycle = reach[a][b] && reach[b][a];
        anyCycle |= onCycle;
        if (edge[a][b] && !onCycle) {
          require(pos[a] < pos[b], where + ": edge " + kept.get(a) + " -> " + kept.get(b));
        }
        if (precedesInRealTime(kept.get(a), kept.get(b))) {
          realTimePairs++;
          require(edge[a][b] && !edge[b][a], where + ": real-time edge missing " + a + "->" + b);
          pairsOnCycles += onCycle ? 1 : 0;
          violations += pos[b] < pos[a] ? 1 : 0;
        }
      }
    }
    cycles += anyCycle ? 1 : 0;
    majorityCycles += anyCycle && given.size() == quorum.majority() ? 1 : 0;

    List<List<Update>> shuffled = new ArrayList<>(given.subList(1, given.size()));
    Collections.shuffle(shuffled, new Random(merges));
    shuffled.add(0, given.get(0));
    require(
        result.equals(RecoveryMerge.merge(entries(shuffled), quorum, 2, ordered::contains)),
        where + ": depends on the order of the logs");
  }

  /** The oracle's precedence edge, computed independently of {@link PrecedenceOrder}. */
  private boolean edge(Update a, Update b, List<List<Update>> logs) {
    if (a.entry().clientId() == b.entry().clientId()) {
      return a.entry().seq() < b.entry().seq();
    }
    int ab = 0;
    int ba = 0;
    for (List<Update> log : logs) {
      int pa = log.indexOf(a);
      int pb = log.indexOf(b);
      ab += pa >= 0 && (pb < 0 || pa < pb) ? 1 : 0;
      ba += pb >= 0 && (pa < 0 || pb < pa) ? 1 : 0;
    }
    return ab >= quorum.recoveryThreshold() && ab > ba;
  }

  private static boolean precedesInRealTime(Update a, Update b) {
    return a.completed() && b.completed() && a.completedAt() < b.send();
  }

  private static boolean[][] closure(boolean[][] edge) {
    int k = edge.length;
    boolean[][] reach = new boolean[k][];
    for (int i = 0; i < k; i++) {
      reach[i] = Arrays.copyOf(edge[i], k);
    }
    for (int m = 0; m < k; m++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          reach[i][j] |= reach[i][m] && reach[m][j];
        }
      }
    }
    return reach;
  }

  private static List<List<NilextEntry>> entries(List<List<Update>> logs) {
    List<List<NilextEntry>> out = new ArrayList<>();
    for (List<Update> log : logs) {
      out.add(log.stream().map(Update::entry).toList());
    }
    return out;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }
}
