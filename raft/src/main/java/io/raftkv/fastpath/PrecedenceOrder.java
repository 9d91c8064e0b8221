package io.raftkv.fastpath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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
 * unavoidable. This class confines the guess: it orders the strongly connected components of the
 * graph topologically, so every edge that is not on a cycle is respected (in particular every
 * real-time edge between two entries that are not on one cycle), and only inside a component of
 * several entries does it guess: an entry with no remaining predecessor in the component first,
 * otherwise the one with the fewest (never passing over an earlier seq of its client). Giving the
 * merge more than a majority of logs adds votes and makes such cycles rarer.
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
    BitSet[] successors = new BitSet[k];
    for (int a = 0; a < k; a++) {
      successors[a] = new BitSet(k);
      for (int b = 0; b < k; b++) {
        if (a != b && edge(a, b)) {
          successors[a].set(b);
        }
      }
    }
    StronglyConnected scc = StronglyConnected.of(successors);
    int[] inFromOthers = new int[scc.count()];
    for (int a = 0; a < k; a++) {
      for (int b = successors[a].nextSetBit(0); b >= 0; b = successors[a].nextSetBit(b + 1)) {
        if (scc.component(a) != scc.component(b)) {
          inFromOthers[scc.component(b)]++;
        }
      }
    }
    // Components in topological order; among those free to go, the one holding the lowest rank.
    TreeSet<Integer> ready = new TreeSet<>(Comparator.comparingInt(scc::lowestMember));
    for (int c = 0; c < scc.count(); c++) {
      if (inFromOthers[c] == 0) {
        ready.add(c);
      }
    }
    List<NilextEntry> order = new ArrayList<>(k);
    while (!ready.isEmpty()) {
      int c = ready.pollFirst();
      for (int a : orderWithin(scc.members(c), successors)) {
        order.add(entries.get(a));
        for (int b = successors[a].nextSetBit(0); b >= 0; b = successors[a].nextSetBit(b + 1)) {
          int d = scc.component(b);
          if (d != c && --inFromOthers[d] == 0) {
            ready.add(d);
          }
        }
      }
    }
    return order;
  }

  /**
   * Orders one strongly connected component: an entry with no remaining predecessor inside it goes
   * first, lowest rank first; when there is none (a cycle), the entry with the fewest remaining
   * predecessors whose client has no earlier seq remaining, lowest rank first.
   */
  private List<Integer> orderWithin(List<Integer> members, BitSet[] successors) {
    if (members.size() == 1) {
      return members;
    }
    BitSet remaining = new BitSet();
    members.forEach(remaining::set);
    Map<Integer, Integer> inDegree = new HashMap<>();
    for (int a : members) {
      BitSet inside = (BitSet) successors[a].clone();
      inside.and(remaining);
      inside.stream().forEach(b -> inDegree.merge(b, 1, Integer::sum));
    }
    int[] previousOfClient = previousOfSameClient();
    List<Integer> order = new ArrayList<>(members.size());
    while (!remaining.isEmpty()) {
      int pick = -1;
      for (int a = remaining.nextSetBit(0); a >= 0; a = remaining.nextSetBit(a + 1)) {
        int prev = previousOfClient[a];
        boolean clientFree = prev < 0 || !remaining.get(prev);
        if (clientFree
            && (pick < 0 || inDegree.getOrDefault(a, 0) < inDegree.getOrDefault(pick, 0))) {
          pick = a;
        }
      }
      remaining.clear(pick);
      order.add(pick);
      BitSet inside = (BitSet) successors[pick].clone();
      inside.and(remaining);
      inside.stream().forEach(b -> inDegree.merge(b, -1, Integer::sum));
    }
    return order;
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
