package io.raftkv.history;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The Wing-Gong search for a linearization of one key's history, in Lowe's form ("Testing for
 * linearizability", 2017): call and return events sit in one doubly linked list in time order; the
 * operations whose calls come before the first remaining return are the ones that may take effect
 * next. Linearizing one removes ("lifts") its call and return from the list; backtracking puts them
 * back. A cache of visited configurations (set of linearized operations, state) prunes every
 * revisit, which is what makes the search fast on real histories.
 *
 * <p>An optional operation (an unknown outcome, see {@link KeyHistory}) has its return at
 * +infinity, so it never blocks others; the search succeeds as soon as every other operation is
 * linearized, leaving the optional ones that never took effect out of the order.
 */
final class WglSearch {
  private final KeyHistory history;
  private final KeyModel model;
  private final int head;
  private final int[] next;
  private final int[] prev;
  private final int[] eventOp;
  private final boolean[] eventIsCall;
  private final int[] callEvent;
  private final int[] returnEvent;
  private final int requiredTotal;

  private long steps;
  private int[] furthest = new int[0];
  private int furthestRequired;
  private final BitSet linearized;

  WglSearch(KeyHistory history, KeyModel model) {
    this.history = history;
    this.model = model;
    int n = history.size();
    Integer[] events = new Integer[2 * n];
    for (int e = 0; e < 2 * n; e++) {
      events[e] = e;
    }
    // Event 2i is the call of operation i, 2i + 1 its return. At equal times calls come first, so
    // operations that touch at one instant count as concurrent.
    Arrays.sort(
        events,
        (a, b) -> {
          int byTime = Long.compare(time(a), time(b));
          if (byTime != 0) {
            return byTime;
          }
          int byKind = Integer.compare(a & 1, b & 1);
          return byKind != 0 ? byKind : Integer.compare(a >> 1, b >> 1);
        });
    head = 2 * n;
    next = new int[2 * n + 1];
    prev = new int[2 * n + 1];
    eventOp = new int[2 * n];
    eventIsCall = new boolean[2 * n];
    callEvent = new int[n];
    returnEvent = new int[n];
    int last = head;
    for (int pos = 0; pos < 2 * n; pos++) {
      int op = events[pos] >> 1;
      eventOp[pos] = op;
      eventIsCall[pos] = (events[pos] & 1) == 0;
      if (eventIsCall[pos]) {
        callEvent[op] = pos;
      } else {
        returnEvent[op] = pos;
      }
      next[last] = pos;
      prev[pos] = last;
      last = pos;
    }
    next[last] = -1;
    int required = 0;
    for (int op = 0; op < n; op++) {
      required += history.optional(op) ? 0 : 1;
    }
    requiredTotal = required;
    linearized = new BitSet(n);
  }

  private long time(int event) {
    int op = event >> 1;
    return (event & 1) == 0 ? history.op(op).callNanos() : history.deadline(op);
  }

  /**
   * Runs the search.
   *
   * @return true if a linearization exists
   * @throws IllegalStateException if it takes more than {@code maxSteps} steps
   */
  boolean run(long maxSteps) {
    int n = history.size();
    Set<Configuration> cache = new HashSet<>();
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int requiredDone = 0;
    int state = KeyModel.ABSENT;
    int event = next[head];
    while (requiredDone < requiredTotal) {
      if (eventIsCall[event]) {
        int op = eventOp[event];
        if (!canonical(op, depth, stackOp, stackState, state)) {
          event = next[event];
          continue;
        }
        if (++steps > maxSteps) {
          throw new IllegalStateException(
              "linearizability check of key \""
                  + history.op(op).key()
                  + "\" gave up after "
                  + maxSteps
                  + " search steps ("
                  + n
                  + " operations, "
                  + (n - requiredTotal)
                  + " of them optional): the history is neither confirmed nor refuted");
        }
        int after = model.step(state, op);
        boolean advanced = false;
        if (after != KeyModel.REJECTED) {
          linearized.set(op);
          // What may follow an optional write depends on the value before it (see canonical), so
          // that value is part of the configuration.
          int before = history.optional(op) ? state : KeyModel.REJECTED;
          Configuration probe = new Configuration(linearized, after, before);
          if (!cache.contains(probe)) {
            cache.add(probe.copy());
            stackOp[depth] = op;
            stackState[depth] = state;
            depth++;
            state = after;
            requiredDone += history.optional(op) ? 0 : 1;
            lift(op);
            if (requiredDone > furthestRequired) {
              furthestRequired = requiredDone;
              furthest = Arrays.copyOf(stackOp, depth);
            }
            event = next[head];
            advanced = true;
          } else {
            linearized.clear(op);
          }
        }
        if (!advanced) {
          event = next[event];
        }
      } else {
        // The first remaining return: its operation had to be linearized by now. Backtrack.
        if (depth == 0) {
          return false;
        }
        depth--;
        int op = stackOp[depth];
        state = stackState[depth];
        linearized.clear(op);
        requiredDone -= history.optional(op) ? 0 : 1;
        unlift(op);
        event = next[callEvent[op]];
      }
    }
    return true;
  }

  /**
   * Whether letting {@code op} take effect next keeps the order in a canonical form, which some
   * linearization has whenever any does; this keeps optional operations, which could take effect
   * anywhere after their call, from multiplying the search.
   *
   * <ul>
   *   <li>Interchangeable optional operations take effect in call order (see {@link KeyHistory}).
   *   <li>An optional write takes effect only right before an operation that needs it: one that
   *       does not fit the value before the write and fits the value after it. Any linearization
   *       can be brought into this form: a write that nothing needs is dropped, or moved later past
   *       the operations that fit either value, up to the first that needs it.
   * </ul>
   */
  private boolean canonical(int op, int depth, int[] stackOp, int[] stackState, int state) {
    int predecessor = history.classPredecessor(op);
    if (predecessor >= 0 && !linearized.get(predecessor)) {
      return false;
    }
    if (depth > 0
        && history.optional(stackOp[depth - 1])
        && model.step(stackState[depth - 1], op) != KeyModel.REJECTED) {
      return false;
    }
    return !history.optional(op) || neededNext(op, state);
  }

  /**
   * Whether some other operation that may come next needs the write {@code op} in {@code state}.
   */
  private boolean neededNext(int op, int state) {
    int after = model.step(state, op);
    if (after == KeyModel.REJECTED) {
      return false;
    }
    for (int e = next[head]; e != -1 && eventIsCall[e]; e = next[e]) {
      int candidate = eventOp[e];
      if (candidate != op
          && model.step(state, candidate) == KeyModel.REJECTED
          && model.step(after, candidate) != KeyModel.REJECTED) {
        return true;
      }
    }
    return false;
  }

  private void lift(int op) {
    remove(callEvent[op]);
    remove(returnEvent[op]);
  }

  private void unlift(int op) {
    restore(returnEvent[op]);
    restore(callEvent[op]);
  }

  private void remove(int event) {
    next[prev[event]] = next[event];
    if (next[event] != -1) {
      prev[next[event]] = prev[event];
    }
  }

  private void restore(int event) {
    next[prev[event]] = event;
    if (next[event] != -1) {
      prev[next[event]] = event;
    }
  }

  /** Model steps taken so far. */
  long steps() {
    return steps;
  }

  /**
   * The longest valid order the search built, as operation indices. After a failed search, every
   * operation that could come next after it is rejected by the model.
   */
  int[] furthest() {
    return furthest.clone();
  }

  /**
   * The operations, by index and in call order, that may take effect right after the operations in
   * {@code done}: those whose call comes before the return of {@link #firstReturn}.
   */
  int[] frontier(BitSet done) {
    int blocking = firstReturn(done);
    if (blocking < 0) {
      return new int[0];
    }
    int bound = returnEvent[blocking];
    return IntStream.range(0, history.size())
        .filter(op -> !done.get(op) && callEvent[op] < bound)
        .toArray();
  }

  /**
   * The required operation with the earliest deadline among those not in {@code done}, or -1 if
   * there is none: it must take effect before anything that starts after it returns.
   */
  int firstReturn(BitSet done) {
    int blocking = -1;
    for (int op = 0; op < history.size(); op++) {
      if (!done.get(op)
          && !history.optional(op)
          && (blocking < 0 || returnEvent[op] < returnEvent[blocking])) {
        blocking = op;
      }
    }
    return blocking;
  }

  /**
   * A node of the search: which operations are linearized, the resulting state, and, when the last
   * one is an optional write, the state before it (else {@link KeyModel#REJECTED}).
   */
  private static final class Configuration {
    private final BitSet linearized;
    private final int state;
    private final int beforeOptional;
    private final int hash;

    /** A configuration that shares {@code linearized}: only for a lookup. */
    Configuration(BitSet linearized, int state, int beforeOptional) {
      this(
          linearized,
          state,
          beforeOptional,
          (linearized.hashCode() * 31 + state) * 31 + beforeOptional);
    }

    private Configuration(BitSet linearized, int state, int beforeOptional, int hash) {
      this.linearized = linearized;
      this.state = state;
      this.beforeOptional = beforeOptional;
      this.hash = hash;
    }

    /** A configuration that owns a copy of the set, to keep in the cache. */
    Configuration copy() {
      return new Configuration((BitSet) linearized.clone(), state, beforeOptional, hash);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Configuration c
          && c.hash == hash
          && c.state == state
          && c.beforeOptional == beforeOptional
          && c.linearized.equals(linearized);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
