package io.raftkv.fastpath;

/**
 * Quorum sizes of the fast path for a cluster of {@code n = 2f + 1} replicas (Skyros §4.2, §4.6).
 *
 * <ul>
 *   <li>{@link #size()}, the supermajority: {@code f + ceil(f/2) + 1} (1 of 1, 3 of 3, 4 of 5, 6 of
 *       7). A fast-path update completes once that many durabilityLogs of one term hold it.
 *   <li>{@link #recoveryThreshold()}: {@code ceil(f/2) + 1}. Any majority ({@code f + 1}) meets a
 *       supermajority in at least {@code (f + 1) + (f + ceil(f/2) + 1) - (2f + 1) = ceil(f/2) + 1}
 *       replicas, so a recovering leader that keeps every entry found in that many of a majority's
 *       logs keeps every completed update.
 * </ul>
 *
 * <p>Even cluster sizes are rejected: with {@code n = 2f + 2} one more replica adds no fault
 * tolerance, and the intersection argument above would need its own thresholds; raftkv's fast path
 * is defined for odd {@code n} only.
 *
 * @param replicas the cluster size n, odd and at least 1
 */
public record Supermajority(int replicas) {
  public Supermajority {
    if (replicas < 1 || replicas % 2 == 0) {
      throw new IllegalArgumentException(
          "the fast path needs an odd cluster size n = 2f + 1, got " + replicas);
    }
  }

  /** f: the number of failures tolerated. */
  public int faults() {
    return (replicas - 1) / 2;
  }

  /** A Raft majority, f + 1. */
  public int majority() {
    return faults() + 1;
  }

  /** The supermajority, f + ceil(f/2) + 1. */
  public int size() {
    int f = faults();
    return f + ceilHalf(f) + 1;
  }

  /** Logs of a majority that must hold an entry for a recovery to keep it: ceil(f/2) + 1. */
  public int recoveryThreshold() {
    return ceilHalf(faults()) + 1;
  }

  private static int ceilHalf(int f) {
    return (f + 1) / 2;
  }
}
