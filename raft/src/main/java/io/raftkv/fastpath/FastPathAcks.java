package io.raftkv.fastpath;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The client's tracker of one fast-path attempt of one nilext update (Skyros §4.2): the update was
 * sent to every replica tagged with {@code term}, and the answers are fed in as they come.
 *
 * <p>The update is {@link Decision#COMPLETE} once accepted answers <em>of that one term</em> come
 * from a supermajority of replicas and one of them is the leader of the term: then the update is
 * durable in enough logs to survive any recovery, and the leader will order it. It is {@link
 * Decision#FALL_BACK} as soon as that has become impossible: too few replicas are left that could
 * still accept, the term's leader refused, or every replica answered and none was the leader. The
 * caller then sends the same request (same clientId and seq) on the ordered path; the timeout for
 * answers that never come is the caller's.
 *
 * <p>Invariants: the first answer of a replica is its answer (a replica never goes back to an older
 * term, so a refusal is final and an acceptance is not withdrawn); later answers from the same
 * replica, duplicates or retransmissions, never count twice; answers from ids outside the cluster
 * are ignored. A decision, once made, never changes. Pure: no clock, no threads.
 */
public final class FastPathAcks {
  /** Where the attempt stands. */
  public enum Decision {
    /** Not enough answers yet, and completion is still possible. */
    PENDING,
    /** Accepted by a supermajority of one term, leader included: reply success to the caller. */
    COMPLETE,
    /** Completion is impossible: retry on the ordered path with the same clientId and seq. */
    FALL_BACK
  }

  private final Set<Integer> replicas;
  private final int supermajority;
  private final int majority;
  private final long term;
  private final Map<Integer, FastPathAck> answers = new HashMap<>();
  private int accepted;
  private boolean leaderAccepted;
  private boolean leaderRefused;
  private Decision decision = Decision.PENDING;

  /**
   * @param replicas the ids of every replica of the cluster (an odd number)
   * @param term the term the update was tagged with
   */
  public FastPathAcks(Set<Integer> replicas, long term) {
    this.replicas = Set.copyOf(replicas);
    Supermajority quorums = new Supermajority(replicas.size());
    this.supermajority = quorums.size();
    this.majority = quorums.majority();
    this.term = term;
  }

  /** Records one answer and returns the decision after it. */
  public Decision add(FastPathAck ack) {
    if (decision != Decision.PENDING
        || !replicas.contains(ack.replicaId())
        || answers.putIfAbsent(ack.replicaId(), ack) != null) {
      return decision;
    }
    boolean counts = ack.accepted() && ack.term() == term;
    if (counts) {
      accepted++;
      leaderAccepted |= ack.leader();
    } else if (ack.leader() && ack.term() == term) {
      leaderRefused = true;
    }
    decision = decide();
    return decision;
  }

  private Decision decide() {
    if (accepted >= supermajority && leaderAccepted) {
      return Decision.COMPLETE;
    }
    int unheard = replicas.size() - answers.size();
    boolean tooFew = accepted + unheard < supermajority;
    boolean noLeaderLeft = !leaderAccepted && (leaderRefused || unheard == 0);
    return tooFew || noLeaderLeft ? Decision.FALL_BACK : Decision.PENDING;
  }

  /**
   * Whether a majority of one term, its leader included, has accepted while the decision is still
   * {@link Decision#PENDING}: the update is then in the leader's durability log and will be
   * ordered, and only the answers that would make a supermajority are missing. A replica that is
   * that late is most likely stalled (a pause, a compaction), so the caller may stop waiting for it
   * sooner than for an attempt that lacks the leader or a majority and fall back to the ordered
   * path, which needs only the leader and a majority.
   */
  public boolean onlyStragglersMissing() {
    return decision == Decision.PENDING && leaderAccepted && accepted >= majority;
  }

  public Decision decision() {
    return decision;
  }

  /** The term the attempt was tagged with. */
  public long term() {
    return term;
  }

  /** Accepted answers of {@link #term()} so far, one per replica. */
  public int acceptedCount() {
    return accepted;
  }

  /**
   * The highest term any replica reported, so the client can tag its next attempt with it; at least
   * {@link #term()}.
   */
  public long highestTermSeen() {
    long max = term;
    for (FastPathAck a : answers.values()) {
      max = Math.max(max, a.term());
    }
    return max;
  }
}
