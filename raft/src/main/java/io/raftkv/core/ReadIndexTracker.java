package io.raftkv.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pending ReadIndex reads of a leader (Raft thesis 6.4). A read records the commit index when it
 * arrives and waits until a majority has answered a heartbeat round started after that; a later
 * round's confirmation also confirms every earlier one. Reads that arrive before the leader has
 * committed an entry of its own term wait for that first, since until then its commit index may lag
 * the cluster's.
 */
final class ReadIndexTracker {
  private record Round(long round, long index, List<Long> requestIds, Set<Integer> acks) {}

  private final ArrayDeque<Round> rounds = new ArrayDeque<>();
  private final List<Long> waitingForTermCommit = new ArrayList<>();

  void clear() {
    rounds.clear();
    waitingForTermCommit.clear();
  }

  void deferUntilTermCommit(long requestId) {
    waitingForTermCommit.add(requestId);
  }

  /** Reads that were waiting for the leader's first commit in its term; clears them. */
  List<Long> takeDeferred() {
    List<Long> out = new ArrayList<>(waitingForTermCommit);
    waitingForTermCommit.clear();
    return out;
  }

  /**
   * Starts a round for {@code requestIds} at {@code index}, acknowledged by the leader itself,
   * confirmed by answers to heartbeat broadcast {@code round} or any later one. Rounds are started
   * in increasing broadcast order.
   */
  void startRound(List<Long> requestIds, long index, int self, long round) {
    Set<Integer> acks = new HashSet<>();
    acks.add(self);
    rounds.addLast(new Round(round, index, List.copyOf(requestIds), acks));
  }

  /**
   * Records that {@code from} answered heartbeat broadcast {@code round}; returns the reads of
   * every round now confirmed by {@code quorum} nodes, oldest first. A broadcast sent after a read
   * round started confirms it too: leadership was then confirmed after the read arrived.
   */
  List<ReadState> acknowledge(int from, long round, int quorum) {
    List<ReadState> ready = new ArrayList<>();
    if (round == 0) {
      return ready;
    }
    Round confirmed = null;
    for (Round r : rounds) {
      if (r.round() > round) {
        break;
      }
      r.acks().add(from);
      if (r.acks().size() >= quorum) {
        confirmed = r;
      }
    }
    if (confirmed != null) {
      while (!rounds.isEmpty() && rounds.peekFirst().round() <= confirmed.round()) {
        Round r = rounds.pollFirst();
        for (long id : r.requestIds()) {
          ready.add(new ReadState(id, r.index()));
        }
      }
    }
    return ready;
  }
}
