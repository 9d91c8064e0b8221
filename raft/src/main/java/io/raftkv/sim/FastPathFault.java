package io.raftkv.sim;

/**
 * Fault injection for the simulator's fast path, to prove the suite sees fast-path bugs (the
 * negative control). Used only by {@link SimClient} and {@link SimNode}; production code never
 * reads it.
 */
public enum FastPathFault {
  /** The protocol as designed. */
  NONE,
  /**
   * The client completes a fast-path update on accepted answers of a plain majority of one term,
   * leader included, instead of a supermajority: a recovering leader may then find the update in
   * too few logs and drop it, losing a write the client was told had completed.
   */
  COMPLETE_ON_MAJORITY
}
