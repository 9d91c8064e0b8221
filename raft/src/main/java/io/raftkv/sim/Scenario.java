package io.raftkv.sim;

/** The fault pattern a simulation runs under. Faults stop at the end of the load phase. */
public enum Scenario {
  /** No faults: a steady load on a healthy cluster. */
  STEADY,
  /** The leader crashes (losing unsynced writes) and restarts later, again and again. */
  LEADER_CRASH,
  /** A follower crashes and restarts, again and again. */
  FOLLOWER_RESTART,
  /** The leader is cut off in a minority, then healed. */
  LEADER_ISOLATED,
  /** Links fail in one direction only (leader to follower, follower to leader, random). */
  ONE_WAY_PARTITION,
  /** 10 to 30 percent of all messages are lost. */
  LOSSY,
  /** Messages are duplicated and delayed over a wide range, so they reorder. */
  DUPLICATE_REORDER,
  /**
   * Leaders crash within milliseconds of winning, often before their entries reach anyone, and
   * restart quickly: the histories behind the paper's Figure 8.
   */
  LEADER_CHURN,
  /** All of the above at random, crashes of any node included. */
  CHAOS,
  /**
   * The leader is cut off together with half the clients, which only read, from the other nodes and
   * the other clients, which go on writing through a new leader; then healed. Whatever the isolated
   * leader still answers must not be stale: the scenario that shows a lease outliving the
   * leadership it stands for (clock drift beyond the bound, a lease counted from the reply).
   */
  LEADER_ISOLATED_WITH_READERS,
  /**
   * Fast path: the leader crashes whenever its durability log holds updates (with slow ordering:
   * writes the clients were told had completed and that live only in durability logs), again and
   * again; the next leader must recover every one of them.
   */
  FAST_PATH_LEADER_CRASH,
  /**
   * Fast path: the clients lose their links to some followers, so their updates are accepted by
   * fewer than a supermajority (the clients fall back, or give up with an unknown outcome), and the
   * leader crashes a few milliseconds later; then the links heal.
   */
  FAST_PATH_PARTIAL_ACKS,
  /**
   * Fast path: every new leader is cut off from the other nodes while it is still collecting their
   * durability logs (recovering), then healed.
   */
  FAST_PATH_RECOVERY_PARTITION;

  /** Whether client {@code index} of this scenario only reads (the isolated leader's side). */
  boolean readOnlyClient(int index) {
    return this == LEADER_ISOLATED_WITH_READERS && index % 2 == 0;
  }

  /** Whether the scenario targets the fast path (it runs only in {@code FastPathSimTest}). */
  public boolean fastPathOnly() {
    return name().startsWith("FAST_PATH_");
  }
}
