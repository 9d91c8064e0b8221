package io.raftkv.core;

/**
 * The knobs of one Raft node. A variant is a named preset of this record ({@link #vanilla()});
 * every optimization is a field of its own so it can be switched on alone.
 *
 * <p>Times are in ticks: the caller decides how long a tick is (the server uses {@code tickMillis}
 * of wall time, the simulator virtual milliseconds).
 *
 * @param tickMillis how many milliseconds one tick stands for (informational for the core)
 * @param electionTicks the minimum election timeout; each node draws its timeout uniformly from
 *     {@code [electionTicks, 2 * electionTicks)} (Raft 5.2)
 * @param heartbeatTicks how often a leader sends heartbeats; must be below {@code electionTicks}
 * @param preVote whether a node probes with pre-votes before raising its term (thesis 9.6)
 * @param checkQuorum whether a leader that has not heard from a majority within an election timeout
 *     steps down (thesis 6.2)
 * @param maxEntriesPerAppend at most this many entries in one AppendEntries
 * @param maxBytesPerAppend at most about this many bytes of entries in one AppendEntries (at least
 *     one entry is always sent)
 * @param maxInflight at most this many AppendEntries in flight per follower
 * @param retransmitTicks an AppendEntries unanswered for this many ticks is presumed lost and
 *     replication to that follower restarts from its match index
 */
public record RaftConfig(
    int tickMillis,
    int electionTicks,
    int heartbeatTicks,
    boolean preVote,
    boolean checkQuorum,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflight,
    int retransmitTicks) {

  public RaftConfig {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be at least 1");
    }
    if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "need 1 <= heartbeatTicks < electionTicks, got " + heartbeatTicks + ", " + electionTicks);
    }
    if (maxEntriesPerAppend < 1 || maxBytesPerAppend < 1 || maxInflight < 1) {
      throw new IllegalArgumentException("append limits and the in-flight window must be >= 1");
    }
    if (retransmitTicks < 1) {
      throw new IllegalArgumentException("retransmitTicks must be at least 1");
    }
  }

  /**
   * Textbook Raft (paper Figure 2): one entry per AppendEntries, one AppendEntries in flight per
   * follower, with pre-vote and check-quorum. Ticks of 10 ms, elections after 150 to 300 ms.
   */
  public static RaftConfig vanilla() {
    return new RaftConfig(10, 15, 3, true, true, 1, 1 << 20, 1, 6);
  }

  /** The preset with the given name. */
  public static RaftConfig preset(String variant) {
    return switch (variant) {
      case "vanilla" -> vanilla();
      default -> throw new IllegalArgumentException("unknown variant: " + variant);
    };
  }

  public RaftConfig withElectionTicks(int electionTicks, int heartbeatTicks) {
    return new RaftConfig(
        tickMillis,
        electionTicks,
        heartbeatTicks,
        preVote,
        checkQuorum,
        maxEntriesPerAppend,
        maxBytesPerAppend,
        maxInflight,
        retransmitTicks);
  }
}
