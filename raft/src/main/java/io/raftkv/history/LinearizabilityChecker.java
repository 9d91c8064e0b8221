package io.raftkv.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides whether a key-value history is linearizable (Herlihy and Wing 1990): whether every
 * operation can be given a single point between its call and its return such that, in the order of
 * those points, each key behaves like a register. Per key, starting absent: a put sets the value, a
 * delete makes it absent, a get returns the current value (null for absent), and a cas sets its new
 * value and reports a swap exactly when the current value equals its expected one (null meaning
 * absent), otherwise reports no swap and changes nothing.
 *
 * <p>An operation with an unknown outcome may take effect at any single point after its call, or
 * never: its return is taken as +infinity and the order need not include it. An unknown get
 * constrains nothing; an unknown cas, if it takes effect, swaps only where its expected value
 * matches.
 *
 * <p>Linearizability is local, so each key is checked on its own, in sorted key order, with the
 * search of Wing and Gong ("Testing and verifying concurrent objects", 1993) as improved by Lowe
 * ("Testing for linearizability", Concurrency and Computation: Practice and Experience, 2017): a
 * depth-first search over which pending operation takes effect next, with a cache of visited
 * (linearized set, value) configurations. The result is deterministic for a given history.
 */
public final class LinearizabilityChecker {
  /**
   * Default bound on search steps per key. Each step may keep one configuration in the cache, so
   * this also bounds memory: a few hundred bytes per step for keys with about a thousand
   * operations.
   */
  public static final long DEFAULT_MAX_STEPS = 2_000_000;

  private LinearizabilityChecker() {}

  /** Checks {@code history} with {@link #DEFAULT_MAX_STEPS}. */
  public static CheckResult check(List<Operation> history) {
    return check(history, DEFAULT_MAX_STEPS);
  }

  /**
   * Checks {@code history}, one key at a time in sorted key order, and reports the first key that
   * is not linearizable.
   *
   * @param history the operations, in any order
   * @param maxSteps the most search steps (attempts to let one operation take effect) per key
   * @return the verdict; on failure the offending key, the operations the search could not place
   *     with some context, and an explanation
   * @throws IllegalStateException naming the key, if the search of a key needs more than {@code
   *     maxSteps} steps: the history is then neither confirmed nor refuted
   */
  public static CheckResult check(List<Operation> history, long maxSteps) {
    if (maxSteps < 0) {
      throw new IllegalArgumentException("maxSteps must not be negative: " + maxSteps);
    }
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    for (Map.Entry<String, List<Operation>> entry : byKey.entrySet()) {
      Optional<CheckResult> failure =
          new KeyChecker(entry.getKey(), entry.getValue()).check(maxSteps);
      if (failure.isPresent()) {
        return failure.get();
      }
    }
    return new CheckResult(
        true,
        null,
        List.of(),
        "Linearizable: " + history.size() + " operations on " + byKey.size() + " keys.");
  }
}
