package io.raftkv.core;

/** The role a node plays in its current term (Raft paper, section 5.1, plus pre-vote). */
public enum Role {
  FOLLOWER,
  /** Probing with pre-votes before a real election; the term has not been raised (thesis 9.6). */
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
