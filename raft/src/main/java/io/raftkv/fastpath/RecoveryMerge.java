package io.raftkv.fastpath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The new leader's merge of durabilityLogs (Skyros §4.6), a pure function: given the logs of a
 * majority (its own first), it decides which pending nilext updates survive the leader change and
 * in which order it proposes them, before any new work.
 *
 * <ul>
 *   <li>Only entries tagged with a term below the recovery's term take part. The logs were fenced
 *       at the recovery's term when handed over, so an entry of that term or later was accepted
 *       after the hand-over, is not covered by this recovery, and is left to the normal fast path
 *       (the leader orders it if it holds it; otherwise it never completed and its client falls
 *       back).
 *   <li>An entry found in at least {@link Supermajority#recoveryThreshold()} logs is kept: a
 *       completed update is in a supermajority, which meets any majority in that many replicas, so
 *       it is always kept, whichever majority answered.
 *   <li>A kept entry already in the leader's Raft log or applied (the caller's predicate, by
 *       clientId and seq) is skipped: it is ordered already.
 *   <li>Every other entry is dropped, everywhere ({@link DurabilityLog#drop}): it cannot have
 *       completed, so its client has not been told it succeeded and will retry or fall back.
 * </ul>
 *
 * <p>The order comes from {@link PrecedenceOrder}: an entry that precedes another in at least the
 * threshold number of logs stays before it; its Javadoc gives the argument and the handling of
 * cycles. Entries of one client keep their seq order (a client has one update outstanding, so seq
 * order is its real-time order).
 *
 * <p>The result depends only on the leader's log and the set of the other logs, not on the order in
 * which the others are given: ties are broken by position in the leader's log, then by id.
 */
public final class RecoveryMerge {
  private RecoveryMerge() {}

  /**
   * What recovery decided.
   *
   * @param toPropose the kept entries not yet ordered, in the order to propose them
   * @param dropped identities of the entries not kept, to drop from every durabilityLog
   */
  public record Result(List<NilextEntry> toPropose, Set<NilextId> dropped) {
    public Result {
      toPropose = List.copyOf(toPropose);
      dropped = Set.copyOf(dropped);
    }
  }

  /**
   * Merges the durabilityLogs handed to a leader recovering in {@code recoveryTerm}.
   *
   * @param logs the logs in arrival order, the leader's own first, from distinct replicas: at least
   *     a majority and at most all of the cluster
   * @param cluster the cluster's quorum sizes
   * @param recoveryTerm the new leader's term
   * @param alreadyOrdered true for an identity already in the leader's Raft log or applied
   * @throws IllegalArgumentException if fewer logs than a majority, or more than the cluster size
   */
  public static Result merge(
      List<List<NilextEntry>> logs,
      Supermajority cluster,
      long recoveryTerm,
      Predicate<NilextId> alreadyOrdered) {
    if (logs.size() < cluster.majority() || logs.size() > cluster.replicas()) {
      throw new IllegalArgumentException(
          "recovery needs the logs of "
              + cluster.majority()
              + " to "
              + cluster.replicas()
              + " replicas, got "
              + logs.size());
    }
    Map<NilextId, NilextEntry> best = new TreeMap<>();
    Map<NilextId, Integer> holders = new HashMap<>();
    List<Map<NilextId, Integer>> positions = new ArrayList<>();
    for (int l = 0; l < logs.size(); l++) {
      Map<NilextId, Integer> pos = new HashMap<>();
      for (NilextEntry e : logs.get(l)) {
        if (e.term() >= recoveryTerm || pos.containsKey(e.id())) {
          continue;
        }
        pos.put(e.id(), pos.size());
        holders.merge(e.id(), 1, Integer::sum);
        best.merge(e.id(), e, RecoveryMerge::preferred);
      }
      positions.add(pos);
    }
    List<NilextEntry> kept = new ArrayList<>();
    Set<NilextId> dropped = new TreeSet<>();
    for (NilextEntry e : best.values()) {
      if (alreadyOrdered.test(e.id())) {
        continue;
      }
      if (holders.get(e.id()) >= cluster.recoveryThreshold()) {
        kept.add(e);
      } else {
        dropped.add(e.id());
      }
    }
    return new Result(PrecedenceOrder.sort(kept, positions, cluster.recoveryThreshold()), dropped);
  }

  /**
   * Which copy of one update to propose: the one of the highest term (the latest acceptance), then
   * the smaller encoding (copies of one update normally have equal bytes; this only keeps the
   * choice independent of the order of the logs).
   */
  private static NilextEntry preferred(NilextEntry held, NilextEntry other) {
    if (held.term() != other.term()) {
      return held.term() > other.term() ? held : other;
    }
    return held.compareCommand(other) <= 0 ? held : other;
  }
}
