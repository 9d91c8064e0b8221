package io.raftkv.sim;

import java.util.PriorityQueue;

/**
 * The simulator's agenda: events ordered by (virtual time, insertion sequence), so two runs with
 * the same seed process the same events in the same order. Time is in virtual microseconds.
 */
final class EventQueue {
  private record Scheduled(long time, long seq, Runnable action) implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
  private long now;
  private long seq;

  long now() {
    return now;
  }

  void at(long time, Runnable action) {
    if (time < now) {
      throw new IllegalArgumentException("cannot schedule in the past: " + time + " < " + now);
    }
    queue.add(new Scheduled(time, seq++, action));
  }

  void after(long delay, Runnable action) {
    at(now + delay, action);
  }

  /** Runs the next event if it is due at or before {@code until}; returns whether one ran. */
  boolean runNext(long until) {
    Scheduled s = queue.peek();
    if (s == null || s.time > until) {
      return false;
    }
    queue.poll();
    now = s.time;
    s.action.run();
    return true;
  }

  void advanceTo(long time) {
    now = Math.max(now, time);
  }
}
