package io.raftkv.fastpath;

/**
 * What a replica's durabilityLog did with a fast-path update (Skyros §4.2), and so what the replica
 * must do before it answers the client.
 */
public enum Acceptance {
  /** Appended: persist the entry, then acknowledge as accepted. */
  APPENDED(true, true),
  /**
   * Already held from an earlier term and now tagged with the current one (a client retry in a new
   * term): persist the re-tagged entry, then acknowledge as accepted. The re-tag matters: a
   * recovery of the current term drops only older-term copies, never one acknowledged in its term.
   */
  RETAGGED(true, true),
  /** Already held with this term (a retransmission): acknowledge again; nothing to persist. */
  DUPLICATE(true, false),
  /** The entry's term is not the replica's current term: refuse, reporting the current term. */
  REFUSED_WRONG_TERM(false, false),
  /** The replica is a candidate: no term is settled, so it takes no fast-path writes. */
  REFUSED_CANDIDATE(false, false),
  /** The replica handed its log to a recovering leader of a later term (fence): refuse. */
  REFUSED_FENCED(false, false);

  private final boolean accepted;
  private final boolean mustPersist;

  Acceptance(boolean accepted, boolean mustPersist) {
    this.accepted = accepted;
    this.mustPersist = mustPersist;
  }

  /** Whether the acknowledgment says "accepted". */
  public boolean accepted() {
    return accepted;
  }

  /** Whether the entry must be made durable before the acknowledgment is sent. */
  public boolean mustPersist() {
    return mustPersist;
  }
}
