package io.raftkv.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks run no earlier than due, in due order, ties in submission order. */
class DelayLineTest {
  private record Ran(int index, long due, long at) {}

  @Test
  void tasksRunAfterTheirDueTimeInDueOrderAndTiesInSubmissionOrder() throws Exception {
    DelayLine line = new DelayLine("delay-line-test");
    Random random = new Random(7);
    int n = 300;
    List<Ran> ran = new CopyOnWriteArrayList<>();
    List<long[]> submitted = new ArrayList<>();
    CountDownLatch all = new CountDownLatch(n);
    // Far enough ahead that every task is queued before the first is due (on a slow machine 300
    // submissions took over 5 ms, and a task already due runs at once, ahead of later ones).
    long base = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
    for (int i = 0; i < n; i++) {
      // Twenty distinct due times, so most tasks share theirs with others.
      long due = base + TimeUnit.MICROSECONDS.toNanos(500L * random.nextInt(20));
      int index = i;
      submitted.add(new long[] {due, i});
      line.submit(
          due,
          Runnable::run,
          () -> {
            ran.add(new Ran(index, due, System.nanoTime()));
            all.countDown();
          });
    }
    assertTrue(all.await(10, TimeUnit.SECONDS), "every task ran");
    for (Ran r : ran) {
      assertTrue(r.at() >= r.due(), "task " + r.index() + " ran before it was due");
    }
    submitted.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
    List<Integer> expected = submitted.stream().map(a -> (int) a[1]).toList();
    assertEquals(expected, ran.stream().map(Ran::index).toList());
  }

  @Test
  void aRefusingExecutorDoesNotStopTheLine() throws Exception {
    DelayLine line = new DelayLine("delay-line-test-refusal");
    CountDownLatch ran = new CountDownLatch(1);
    long now = System.nanoTime();
    line.submit(
        now,
        task -> {
          throw new java.util.concurrent.RejectedExecutionException("event loop shut down");
        },
        () -> {});
    line.submit(now + 1, Runnable::run, ran::countDown);
    assertTrue(ran.await(5, TimeUnit.SECONDS), "the task after a refused one still ran");
  }
}
