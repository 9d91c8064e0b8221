package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftkv.client.NoQuorumException;
import io.raftkv.kv.Bytes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The unavailability window and the 100 ms timeline of {@code failover}. */
class FailoverObserverTest {
  private static final long MS = 1_000_000L;

  @Test
  void theWindowEndsAtTheFirstSuccessfulWriteCalledAfterTheKill() {
    FailoverObserver o = new FailoverObserver(0, 2_000 * MS);
    o.completed(HistoryRecorderTest.put(0, "1", 100 * MS), null, null, 150 * MS);
    o.killedAt(1_000 * MS);
    // Called before the kill, answered just after it: proves nothing about the new leader.
    o.completed(HistoryRecorderTest.put(1, "2", 990 * MS), null, null, 1_001 * MS);
    // A read after the kill is not a write.
    o.completed(
        HistoryRecorderTest.get(2, 1_010 * MS), Optional.of(Bytes.utf8("2")), null, 1_020 * MS);
    o.completed(
        HistoryRecorderTest.put(3, "3", 1_005 * MS), null, new NoQuorumException("x"), 1_300 * MS);
    o.completed(HistoryRecorderTest.put(1, "4", 1_002 * MS), null, null, 1_350 * MS);
    o.completed(HistoryRecorderTest.put(2, "5", 1_100 * MS), null, null, 1_400 * MS);
    assertEquals(350.0, o.unavailableMillis(), 1e-9);
    assertEquals(1.0, o.firstWriteAfterKill(), 1e-9);
    assertEquals(1, o.failuresAfterKill());
    List<double[]> timeline = o.timeline(1_999 * MS);
    assertEquals(20, timeline.size());
    assertEquals(0.2, timeline.get(1)[0], 1e-9);
    assertEquals(10.0, timeline.get(1)[1], 1e-9); // one success in the 100-200 ms bucket
    assertEquals(20.0, timeline.get(10)[1], 1e-9); // 1001 and 1020 ms
    assertEquals(0.0, timeline.get(11)[1], 1e-9);
  }

  @Test
  void withoutAWriteAfterTheKillThereIsNoWindow() {
    FailoverObserver o = new FailoverObserver(0, 100 * MS);
    assertEquals(-1, o.unavailableMillis());
    o.killedAt(10 * MS);
    o.completed(HistoryRecorderTest.put(0, "1", 5 * MS), null, null, 8 * MS);
    assertEquals(-1, o.unavailableMillis());
    assertEquals(-1, o.firstWriteAfterKill());
  }
}
