package io.raftkv.sim;

import io.raftkv.history.CheckResult;
import io.raftkv.history.Operation;
import java.util.List;

/**
 * What one simulation run found.
 *
 * @param settings the run's settings (replayable)
 * @param violation the first safety or liveness violation, or null
 * @param check the linearizability verdict on the client history (null if a violation stopped the
 *     run first)
 * @param history every client operation
 * @param completed operations with a definite outcome
 * @param unknown operations whose outcome the client never learned
 * @param events simulated events processed
 * @param fastPath what the fast path did (all zero without {@code nilextFastPath})
 */
public record SimResult(
    SimSettings settings,
    String violation,
    CheckResult check,
    List<Operation> history,
    long completed,
    long unknown,
    long events,
    FastPathStats fastPath) {

  /**
   * Counters of the fast path in one run.
   *
   * @param completed updates the clients completed on the fast path
   * @param fallBacks fast-path attempts that fell back to the ordered path
   * @param restartsWithDurabilityLog node starts that restored a non-empty durability log
   * @param readsDeferred reads of a pending key that waited for the ordering
   * @param busyAnswers ordered requests a recovering leader answered "busy"
   * @param recoveriesCutOff leaders the nemesis isolated while they recovered
   * @param pendingAtEnd durability-log entries held by the nodes up at the end
   * @param leaderPendingAtEnd entries in the final leader's durability log, or -1 without a leader
   */
  public record FastPathStats(
      long completed,
      long fallBacks,
      long restartsWithDurabilityLog,
      long readsDeferred,
      long busyAnswers,
      long recoveriesCutOff,
      long pendingAtEnd,
      long leaderPendingAtEnd) {

    /** No run: the start of a sum. */
    public static final FastPathStats NONE = new FastPathStats(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The counters of two runs added up ({@link #leaderPendingAtEnd} counts 0 for a run without a
     * leader).
     */
    public FastPathStats plus(FastPathStats o) {
      return new FastPathStats(
          completed + o.completed,
          fallBacks + o.fallBacks,
          restartsWithDurabilityLog + o.restartsWithDurabilityLog,
          readsDeferred + o.readsDeferred,
          busyAnswers + o.busyAnswers,
          recoveriesCutOff + o.recoveriesCutOff,
          pendingAtEnd + o.pendingAtEnd,
          Math.max(0, leaderPendingAtEnd) + Math.max(0, o.leaderPendingAtEnd));
    }
  }

  public boolean ok() {
    return violation == null && check != null && check.linearizable();
  }

  /** A report naming the seed, what failed, and how to replay it. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(ok() ? "OK " : "FAILED ")
        .append(settings)
        .append(": ")
        .append(completed)
        .append(" ops completed, ")
        .append(unknown)
        .append(" unknown, ")
        .append(events)
        .append(" events");
    if (settings.config().nilextFastPath()) {
      sb.append(", fast path: ")
          .append(fastPath.completed())
          .append(" completed, ")
          .append(fastPath.fallBacks())
          .append(" fell back");
    }
    if (violation != null) {
      sb.append("\n  invariant: ").append(violation);
    }
    if (check != null && !check.linearizable()) {
      sb.append("\n  not linearizable on key ")
          .append(check.key())
          .append(": ")
          .append(check.explanation());
      for (Operation op : check.operations()) {
        sb.append("\n    ").append(op);
      }
    }
    if (!ok()) {
      sb.append("\n  replay: ").append(settings.replayCommand());
    }
    return sb.toString();
  }
}
