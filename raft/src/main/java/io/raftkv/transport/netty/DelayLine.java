package io.raftkv.transport.netty;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of emulated link delays: runs each submitted task on its executor once its due time (on
 * {@link System#nanoTime()}) has come, from one daemon thread per JVM that sleeps on a {@link
 * DelayQueue}.
 *
 * <p>Why not the event loop's own timer: Netty's NIO event loop waits with {@code
 * Selector.select(millis)}, so a 1 ms delay ends anywhere from 1 to 2 ms later (measured here: p50
 * 1.23 ms, p90 1.48 ms for a 1 ms schedule). Waiting with {@code parkNanos} ends within tens of
 * microseconds of the due time, so an emulated hop costs the delay asked for, and a fast-path
 * update that waits for the slowest of four parallel hops is not penalised by the jitter of a
 * millisecond timer more than one that waits for two hops in a row.
 *
 * <p>Order: tasks with equal due times run in submission order (a sequence number breaks ties), and
 * an executor runs what it is given in order, so the writes and flushes of one channel, all delayed
 * alike, keep their order.
 */
final class DelayLine {
  private static final DelayLine SHARED = new DelayLine("raftkv-link-delay");

  private final DelayQueue<Item> queue = new DelayQueue<>();
  private final AtomicLong nextSeq = new AtomicLong();

  DelayLine(String threadName) {
    Thread t = new Thread(this::run, threadName);
    t.setDaemon(true);
    t.start();
  }

  /** The JVM's delay line, shared by every delayed channel. */
  static DelayLine shared() {
    return SHARED;
  }

  /** Runs {@code task} on {@code executor} once {@code System.nanoTime() >= dueNanos}. */
  void submit(long dueNanos, Executor executor, Runnable task) {
    queue.add(new Item(dueNanos, nextSeq.getAndIncrement(), executor, task));
  }

  private void run() {
    while (true) {
      Item item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread; a stray interrupt is not a reason to stop delaying.
        continue;
      }
      try {
        item.executor.execute(item.task);
      } catch (RuntimeException e) {
        // A closed event loop refuses tasks: its channel is gone, and so is what it would write.
      }
    }
  }

  private record Item(long dueNanos, long seq, Executor executor, Runnable task)
      implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Item o = (Item) other;
      int byDue = Long.compare(dueNanos - o.dueNanos, 0);
      return byDue != 0 ? byDue : Long.compare(seq, o.seq);
    }
  }
}
