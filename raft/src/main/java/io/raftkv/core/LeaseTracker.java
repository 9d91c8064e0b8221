package io.raftkv.core;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A leader's read lease (Raft thesis 6.4.1). Every heartbeat broadcast gets an id and its send tick
 * is remembered; when a follower answers broadcast {@code b}, the follower is known to have heard
 * from this leader no earlier than the send tick of {@code b}. The lease starts at the send tick of
 * the newest broadcast that a majority (the leader included) has answered, never at the time an
 * answer arrived, and lasts {@link RaftConfig#leaseTicks()} ticks.
 *
 * <p>Why it is safe: a follower that answered refuses votes for a full election timeout after it
 * heard from the leader (see {@code RaftNode}), a majority answered, and every new leader needs a
 * majority of votes; so no other leader can be elected, and no write can commit elsewhere, before
 * the lease ends, as long as clocks drift by less than the configured bound. The tracker is reset
 * on every change of role or term, so a deposed leader holds no lease.
 */
final class LeaseTracker {
  private final ArrayDeque<long[]> sent = new ArrayDeque<>();
  private final Map<Integer, Long> ackedSendTick = new HashMap<>();
  private long lastBroadcast;

  /** Forgets every broadcast and answer (role or term change). Broadcast ids keep increasing. */
  void clear() {
    sent.clear();
    ackedSendTick.clear();
  }

  /** Records a heartbeat broadcast sent at {@code tick}; returns its id (always above 0). */
  long broadcast(long tick, long keepTicks) {
    lastBroadcast++;
    sent.addLast(new long[] {lastBroadcast, tick});
    while (sent.size() > 1 && sent.peekFirst()[1] < tick - keepTicks) {
      sent.pollFirst();
    }
    return lastBroadcast;
  }

  /** Records that {@code follower} answered broadcast {@code id}. Unknown ids are ignored. */
  void acknowledge(int follower, long id) {
    for (long[] b : sent) {
      if (b[0] == id) {
        ackedSendTick.merge(follower, b[1], Math::max);
        return;
      }
    }
  }

  /**
   * The send tick of the newest broadcast answered by {@code quorum} nodes counting the leader, or
   * -1 if there is none. Only called with {@code quorum >= 2}.
   */
  long leaseStart(int quorum) {
    int needed = quorum - 1;
    if (ackedSendTick.size() < needed) {
      return -1;
    }
    long[] ticks = ackedSendTick.values().stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(ticks);
    return ticks[ticks.length - needed];
  }
}
