package io.raftkv.fastpath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The order in which a recovering leader proposes the kept entries (Skyros §4.6): a topological
 * sort of the precedence graph, with a deterministic tie-break and a deterministic way out of
 * cycles.
 *
 * <p><b>The graph.</b> Say that {@code a} precedes {@code b} in a log if the log holds {@code a}
 * and either does not hold {@code b} or holds it later. With {@code t = ceil(f/2) + 1}, there is an
 * edge {@code a -> b} if {@code a} precedes {@code b} in at least {@code t} of the given logs, and
 * in more of them than {@code b} precedes {@code a} (with exactly {@code f + 1} logs the second
 * condition follows from the first, since the two counts add up to at most {@code f + 1}). Entries
 * of one client are instead ordered by seq, whatever the logs say.
 *
 * <p><b>Why real-time order is kept.</b> Let update {@code a} complete before update {@code b} is
 * invoked. Every replica of a's supermajority held {@code a} before {@code b} existed, so {@code a}
 * precedes {@code b} in every given log of that supermajority: at least {@code |logs| - floor(f/2)
 * >= t} logs. {@code b} can precede {@code a} only in the other logs, at most {@code floor(f/2) <
 * t}. So the edge {@code a -> b} is always there and {@code b -> a} never is. (Counting only the
 * logs holding both would lose the edge: for {@code f = 2}, two of the three logs may each miss one
 * of them.)
 *
 * <p><b>Cycles.</b> For {@code n = 3} there are none: {@code t = 2} is every given log when a
 * majority answered, so a kept entry is in both logs and an edge means both logs agree. For {@code
 * n >= 5} edges come from votes of several logs, and votes can cycle (Condorcet): the logs {@code
 * [c,a,b]}, {@code [b,c,a]}, {@code [a,b,c]} give {@code a -> b}, {@code b -> c}, {@code c -> a}.
 * Such logs can come from updates that all completed, while they overlapped in time; when no two of
 * them are ordered in real time, any order is linearizable and breaking the cycle anywhere is
 * right, as it is for entries that never completed (nobody was told they succeeded, so their order
 * is not externally visible). But the same three logs also arise when {@code a} completed before
 * {@code b} began (with {@code c} overlapping both), and, renamed, when {@code b} completed before
 * {@code c} or {@code c} before {@code a}: no function of these logs orders all three histories
 * correctly. Skyros's argument covers the edges, which are right (above); inside a cycle a guess is
 * unavoidable. This class guesses deterministically: when every remaining entry has a remaining
 * predecessor, it emits the one with the fewest (never passing over an earlier seq of its client),
 * then the earliest in the tie-break order. Giving the merge more than a majority of logs adds
 * votes and makes such cycles rarer.
 *
 * <p><b>Tie-break.</b> Among entries free to go next, the one earliest in the leader's own log
 * first, entries the leader lacks after those, then by (clientId, seq).
 */
final class PrecedenceOrder {
  private final List<NilextEntry> entries;
  private final int[][] pos;
  private final int threshold;

  private PrecedenceOrder(List<NilextEntry> entries, int[][] pos, int threshold) {
    this.entries = entries;
    this.pos = pos;
    this.threshold = threshold;
  }

  /**
   * Sorts {@code kept}.
   *
   * @param kept distinct entries
   * @param positions per log (the leader's first), the position of each entry it holds
   * @param threshold {@code ceil(f/2) + 1}
   */
  static List<NilextEntry> sort(
      List<NilextEntry> kept, List<Map<NilextId, Integer>> positions, int threshold) {
    Map<NilextId, Integer> leader = positions.get(0);
    List<NilextEntry> ranked = new ArrayList<>(kept);
    ranked.sort(
        Comparator.comparingInt((NilextEntry e) -> leader.getOrDefault(e.id(), Integer.MAX_VALUE))
            .thenComparing(NilextEntry::id));
    int[][] pos = new int[positions.size()][ranked.size()];
    for (int l = 0; l < positions.size(); l++) {
      for (int i = 0; i < ranked.size(); i++) {
        pos[l][i] = positions.get(l).getOrDefault(ranked.get(i).id(), -1);
      }
    }
    return new PrecedenceOrder(ranked, pos, threshold).topologicalOrder();
  }

  private List<NilextEntry> topologicalOrder() {
    int k = entries.size();
    int[] inDegree = new int[k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        if (i != j && edge(j, i)) {
          inDegree[i]++;
        }
      }
    }
    int[] previousOfClient = previousOfSameClient();
    boolean[] emitted = new boolean[k];
    TreeSet<Integer> ready = new TreeSet<>(); // indices are ranks: the smallest goes first
    for (int i = 0; i < k; i++) {
      if (inDegree[i] == 0) {
        ready.add(i);
      }
    }
    List<NilextEntry> order = new ArrayList<>(k);
    while (order.size() < k) {
      int next = ready.isEmpty() ? breakCycle(inDegree, emitted, previousOfClient) : ready.first();
      ready.remove(next);
      emitted[next] = true;
      order.add(entries.get(next));
      for (int j = 0; j < k; j++) {
        if (!emitted[j] && edge(next, j) && --inDegree[j] == 0) {
          ready.add(j);
        }
      }
    }
    return order;
  }

  /**
   * Every remaining entry has a remaining predecessor: a cycle. Picks the remaining entry with the
   * fewest remaining predecessors whose client has no earlier seq remaining, lowest rank first.
   */
  private int breakCycle(int[] inDegree, boolean[] emitted, int[] previousOfClient) {
    int pick = -1;
    for (int i = 0; i < entries.size(); i++) {
      boolean free = previousOfClient[i] < 0 || emitted[previousOfClient[i]];
      if (!emitted[i] && free && (pick < 0 || inDegree[i] < inDegree[pick])) {
        pick = i;
      }
    }
    return pick;
  }

  /** For each entry, the index of its client's entry with the next lower seq, or -1. */
  private int[] previousOfSameClient() {
    int[] previous = new int[entries.size()];
    Map<Long, Integer> lastOfClient = new HashMap<>();
    Integer[] bySeq = new Integer[entries.size()];
    for (int i = 0; i < bySeq.length; i++) {
      bySeq[i] = i;
    }
    Arrays.sort(bySeq, Comparator.comparing(i -> entries.get(i).id()));
    for (int i : bySeq) {
      Integer before = lastOfClient.put(entries.get(i).clientId(), i);
      previous[i] = before == null ? -1 : before;
    }
    return previous;
  }

  /** Whether entry {@code a} must be proposed before entry {@code b}. */
  private boolean edge(int a, int b) {
    NilextEntry x = entries.get(a);
    NilextEntry y = entries.get(b);
    if (x.clientId() == y.clientId()) {
      return x.seq() < y.seq();
    }
    int ab = precedesIn(a, b);
    return ab >= threshold && ab > precedesIn(b, a);
  }

  /** In how many logs {@code a} precedes {@code b}: held, and {@code b} absent or later. */
  private int precedesIn(int a, int b) {
    int n = 0;
    for (int[] p : pos) {
      if (p[a] >= 0 && (p[b] < 0 || p[a] < p[b])) {
        n++;
      }
    }
    return n;
  }
}
