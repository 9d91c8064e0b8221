package io.raftkv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftLogTest {

  private static Entry command(long term, long index) {
    return Entry.command(term, index, ("t" + term + "i" + index).getBytes());
  }

  @Test
  void entriesOlderThanTheRingAndNewerOnesReadTheSame() {
    List<Entry> restored = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      restored.add(command(1, i));
    }
    RaftLog log = new RaftLog(restored);
    List<Entry> expected = new ArrayList<>(restored);
    for (int i = 101; i <= 3 * RaftLog.RECENT + 5; i++) {
      Entry e = command(2, i);
      log.append(e);
      expected.add(e);
    }
    for (Entry e : expected) {
      assertEquals(e, log.entry(e.index()));
    }
    assertNull(log.entry(expected.size() + 1));
    assertEquals(expected.subList(9, 19), log.slice(10, 19, 100, Long.MAX_VALUE));
  }

  @Test
  void aReplacedSuffixIsNeverServedFromTheRing() {
    RaftLog log = new RaftLog(List.of());
    for (int i = 1; i <= 2 * RaftLog.RECENT; i++) {
      log.append(command(1, i));
    }
    // Replace a suffix with a shorter one in a later term: the ring still holds term-1 objects for
    // indices past the new end, and for indices that share a slot with them.
    log.truncateFrom(RaftLog.RECENT + 10);
    for (int i = RaftLog.RECENT + 10; i <= RaftLog.RECENT + 20; i++) {
      log.append(command(3, i));
    }
    assertEquals(RaftLog.RECENT + 20, log.lastIndex());
    for (int i = 1; i < RaftLog.RECENT + 10; i++) {
      assertEquals(command(1, i), log.entry(i), "index " + i);
    }
    for (int i = RaftLog.RECENT + 10; i <= RaftLog.RECENT + 20; i++) {
      assertEquals(command(3, i), log.entry(i), "index " + i);
      assertEquals(3, log.term(i));
    }
    assertNull(log.entry(RaftLog.RECENT + 21));
    // The unpersisted part is handed out from the same view.
    List<Entry> handed = log.takeUnpersisted();
    assertEquals(log.lastIndex(), handed.get(handed.size() - 1).index());
    assertEquals(command(3, RaftLog.RECENT + 20), handed.get(handed.size() - 1));
  }

  @Test
  void sliceStopsAtTheByteLimitButReturnsAtLeastOneEntry() {
    RaftLog log = new RaftLog(List.of());
    for (int i = 1; i <= 10; i++) {
      log.append(Entry.command(1, i, new byte[100]));
    }
    assertEquals(1, log.slice(1, 10, 100, 1).size());
    // Each entry counts 100 data bytes plus 24: three fit in 372, not four.
    assertEquals(3, log.slice(1, 10, 100, 372).size());
    assertEquals(2, log.slice(1, 10, 2, Long.MAX_VALUE).size());
  }
}
