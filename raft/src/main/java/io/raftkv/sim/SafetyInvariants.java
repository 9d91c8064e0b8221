package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import io.raftkv.core.RaftNode;
import io.raftkv.core.Ready;
import io.raftkv.core.Role;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safety properties of Raft (paper Figure 3), checked as the simulation runs:
 *
 * <ul>
 *   <li>Election Safety: at most one leader per term;
 *   <li>Log Matching: every (index, term) ever persisted by any node names one entry with one
 *       predecessor term, so equal (index, term) pairs imply equal prefixes;
 *   <li>Leader Completeness: a new leader holds every entry applied anywhere before it won;
 *   <li>State Machine Safety: no two nodes apply different entries at one index.
 * </ul>
 *
 * The first violation is kept with a description; the simulation stops there.
 */
final class SafetyInvariants implements SimObserver {
  private record EntryId(long index, long term) {}

  private record EntryShape(long prevTerm, EntryType type, int dataHash) {}

  private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
  private final Map<EntryId, EntryShape> persisted = new HashMap<>();
  private final Map<Long, Entry> applied = new HashMap<>();
  private final Map<Integer, Long> lastLeaderTermSeen = new HashMap<>();
  private String violation;

  String violation() {
    return violation;
  }

  private void fail(String message) {
    if (violation == null) {
      violation = message;
    }
  }

  @Override
  public void onReady(SimNode node, Ready ready) {
    List<Entry> entries = ready.entries();
    if (entries.isEmpty()) {
      return;
    }
    RaftNode raft = node.raft();
    long first = entries.get(0).index();
    long prevTerm = first == 1 ? 0 : raft.entry(first - 1).term();
    for (Entry e : entries) {
      EntryShape shape = new EntryShape(prevTerm, e.type(), Arrays.hashCode(e.data()));
      EntryShape before = persisted.putIfAbsent(new EntryId(e.index(), e.term()), shape);
      if (before != null && !before.equals(shape)) {
        fail(
            "Log Matching violated: node "
                + node.id
                + " persisted "
                + e
                + " after predecessor term "
                + prevTerm
                + ", but another node holds a different entry with the same index and term");
      }
      prevTerm = e.term();
    }
  }

  @Override
  public void onApply(SimNode node, Entry e) {
    Entry before = applied.putIfAbsent(e.index(), e);
    if (before != null && !before.equals(e)) {
      fail(
          "State Machine Safety violated: node "
              + node.id
              + " applied "
              + e
              + " at an index where another node applied "
              + before);
    }
  }

  /** Checks the properties that depend on roles; called after every simulated event. */
  void afterEvent(List<SimNode> nodes) {
    for (SimNode n : nodes) {
      if (!n.isUp() || n.raft().role() != Role.LEADER) {
        continue;
      }
      RaftNode raft = n.raft();
      Integer other = leaderOfTerm.putIfAbsent(raft.term(), n.id);
      if (other != null && other != n.id) {
        fail(
            "Election Safety violated: nodes "
                + other
                + " and "
                + n.id
                + " lead term "
                + raft.term());
      }
      if (!Objects.equals(lastLeaderTermSeen.get(n.id), raft.term())) {
        lastLeaderTermSeen.put(n.id, raft.term());
        checkLeaderCompleteness(n);
      }
    }
  }

  private void checkLeaderCompleteness(SimNode leader) {
    for (Entry e : applied.values()) {
      Entry mine = leader.raft().entry(e.index());
      if (mine == null || mine.term() != e.term()) {
        fail(
            "Leader Completeness violated: node "
                + leader.id
                + " leads term "
                + leader.raft().term()
                + " without committed "
                + e
                + " (it holds "
                + mine
                + ")");
        return;
      }
    }
  }
}
