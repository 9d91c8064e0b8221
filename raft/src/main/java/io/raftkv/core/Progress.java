package io.raftkv.core;

import java.util.ArrayDeque;

/**
 * What a leader knows of one follower's log (Raft Figure 2, "Volatile state on leaders": {@code
 * nextIndex}, {@code matchIndex}), plus the AppendEntries in flight to it.
 *
 * <p>In {@link State#PROBE} the leader sends one AppendEntries at a time and waits for its answer
 * to find where the logs match; in {@link State#REPLICATE} it streams up to a window of them,
 * advancing {@code next} optimistically. Invariant: {@code match < next}.
 */
final class Progress {
  enum State {
    PROBE,
    REPLICATE
  }

  final int id;
  long match;
  long next;
  State state = State.PROBE;

  /** Whether the follower answered anything since the last check-quorum round. */
  boolean recentActive;

  /** Last index carried by each AppendEntries in flight, oldest first, with its send tick. */
  private final ArrayDeque<long[]> inflight = new ArrayDeque<>();

  Progress(int id, long next) {
    this.id = id;
    this.next = next;
  }

  boolean canSend(int window) {
    return inflight.size() < (state == State.PROBE ? 1 : window);
  }

  void sent(long lastIndex, long tick) {
    inflight.addLast(new long[] {lastIndex, tick});
    if (state == State.REPLICATE) {
      next = lastIndex + 1;
    }
  }

  /** Frees every in-flight message whose entries are now acknowledged. */
  void acknowledged(long index) {
    while (!inflight.isEmpty() && inflight.peekFirst()[0] <= index) {
      inflight.pollFirst();
    }
  }

  boolean hasInflight() {
    return !inflight.isEmpty();
  }

  long oldestSendTick() {
    return inflight.isEmpty() ? Long.MAX_VALUE : inflight.peekFirst()[1];
  }

  /** Records a higher match index; returns whether it moved. */
  boolean maybeUpdate(long index) {
    if (index <= match) {
      return false;
    }
    match = index;
    next = Math.max(next, index + 1);
    return true;
  }

  void becomeProbe(long nextIndex) {
    state = State.PROBE;
    next = Math.max(match + 1, nextIndex);
    inflight.clear();
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    next = match + 1;
    inflight.clear();
  }

  @Override
  public String toString() {
    return id + ":" + state + " match=" + match + " next=" + next + " inflight=" + inflight.size();
  }
}
