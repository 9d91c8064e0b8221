package io.raftkv.client;

/**
 * What the fast path of one {@link ClientConnectionPool} did so far: of {@code attempts} updates
 * sent to every node, {@code completed} completed on a supermajority (one round trip) and {@code
 * fellBack} went on to the leader's ordered path, either because a supermajority had become
 * impossible ({@code refused}: a node refused, answered in another term, or was unreachable) or
 * because answers were still missing after {@link ClientOptions#fastPathTimeout()} ({@code
 * timedOut}), or because the leader and a majority had accepted but the rest of a supermajority had
 * not after {@link ClientOptions#fastPathStragglerTimeout()} ({@code straggled}). {@code bypassed}
 * updates never tried: {@link ClientOptions#fastPathMaxInFlight()} attempts were in flight, so they
 * went straight to the leader.
 *
 * <p>Invariant once no attempt is in flight: {@code attempts == completed + fellBack} and {@code
 * fellBack == refused + timedOut + straggled}; nilext updates sent {@code == attempts + bypassed}.
 */
public record FastPathStats(
    long attempts, long completed, long refused, long timedOut, long straggled, long bypassed) {
  /** Attempts that fell back to the ordered path. */
  public long fellBack() {
    return refused + timedOut + straggled;
  }

  /** Nilext updates this pool sent: those tried on the fast path and those bypassing it. */
  public long updates() {
    return attempts + bypassed;
  }

  /** {@code this} minus an earlier reading of the same pool: what happened in between. */
  public FastPathStats minus(FastPathStats earlier) {
    return new FastPathStats(
        attempts - earlier.attempts,
        completed - earlier.completed,
        refused - earlier.refused,
        timedOut - earlier.timedOut,
        straggled - earlier.straggled,
        bypassed - earlier.bypassed);
  }
}
