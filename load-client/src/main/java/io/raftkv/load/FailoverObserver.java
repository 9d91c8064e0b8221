package io.raftkv.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@code failover} measures around the kill of the leader: successful operations per 100 ms
 * since the load started (for the throughput-over-time plot), and after the kill the first
 * successful write (put, cas or multiPut). The unavailability window is from the kill to the first
 * successful write that was <em>called after</em> the kill: a write that completes just after the
 * kill may have been committed by the old leader just before it, so it proves nothing about the
 * cluster's availability; that earliest completion is kept too ({@link #firstWriteAfterKill}).
 *
 * <p>Thread-safe; {@link #completed} runs on the client's event loop threads.
 */
final class FailoverObserver implements OperationObserver {
  static final long BUCKET_NANOS = 100_000_000L;

  private final long origin;
  private final AtomicLongArray buckets;
  private volatile long killNanos = Long.MAX_VALUE;
  private final AtomicLong firstWriteCalledAfter = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong firstWriteAfter = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong failuresAfterKill = new AtomicLong();

  /**
   * @param origin {@code System.nanoTime()} when the load starts
   * @param span how long to keep buckets for, in nanoseconds
   */
  FailoverObserver(long origin, long span) {
    this.origin = origin;
    this.buckets = new AtomicLongArray((int) Math.max(1, span / BUCKET_NANOS + 1));
  }

  /** The moment the leader was killed ({@code System.nanoTime()}). */
  void killedAt(long nanos) {
    killNanos = nanos;
  }

  long killNanos() {
    return killNanos;
  }

  long origin() {
    return origin;
  }

  @Override
  public void completed(IssuedOperation op, Object result, Throwable error, long returnNanos) {
    long kill = killNanos;
    if (error != null) {
      if (returnNanos > kill) {
        failuresAfterKill.incrementAndGet();
      }
      return;
    }
    long bucket = (returnNanos - origin) / BUCKET_NANOS;
    if (bucket >= 0 && bucket < buckets.length()) {
      buckets.incrementAndGet((int) bucket);
    }
    if (op.op() == Op.GET || returnNanos <= kill) {
      return;
    }
    firstWriteAfter.accumulateAndGet(returnNanos, Math::min);
    if (op.callNanos() > kill) {
      firstWriteCalledAfter.accumulateAndGet(returnNanos, Math::min);
    }
  }

  /**
   * Milliseconds from the kill to the first successful write called after it, or -1 if there was
   * none.
   */
  double unavailableMillis() {
    return since(firstWriteCalledAfter.get());
  }

  /** Milliseconds from the kill to the first successful write completing after it, or -1. */
  double firstWriteAfterKill() {
    return since(firstWriteAfter.get());
  }

  long failuresAfterKill() {
    return failuresAfterKill.get();
  }

  private double since(long t) {
    return t == Long.MAX_VALUE || killNanos == Long.MAX_VALUE ? -1 : (t - killNanos) / 1e6;
  }

  /**
   * Points {@code {seconds since the load started, successful ops per second}}, one per 100 ms
   * bucket, up to {@code untilNanos}.
   */
  List<double[]> timeline(long untilNanos) {
    List<double[]> points = new ArrayList<>();
    long last = Math.min(buckets.length(), (untilNanos - origin) / BUCKET_NANOS + 1);
    for (int i = 0; i < last; i++) {
      points.add(new double[] {(i + 1) * BUCKET_NANOS / 1e9, buckets.get(i) * 1e9 / BUCKET_NANOS});
    }
    return points;
  }
}
