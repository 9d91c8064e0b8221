package io.raftkv.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryPagesTest {

  private static Entry entry(long term, long index, int length, Random random) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return length == 0 && random.nextBoolean()
        ? Entry.noop(term, index)
        : Entry.command(term, index, data);
  }

  @Test
  void entriesReadBackAcrossManyPagesEqualWhatWasAppended() {
    Random random = new Random(7);
    EntryPages pages = new EntryPages();
    List<Entry> expected = new ArrayList<>();
    // ~ 6 MB in all: the pages grow from 4 KiB to the largest size and several of those fill.
    for (int i = 1; i <= 40_000; i++) {
      Entry e = entry(1 + i / 1000, i, random.nextInt(300), random);
      pages.append(e);
      expected.add(e);
    }
    assertEquals(40_000, pages.lastIndex());
    for (Entry e : expected) {
      assertEquals(e, pages.get(e.index()));
      assertEquals(e.term(), pages.term(e.index()));
      assertEquals(e.data().length, pages.dataLength(e.index()));
    }
    assertEquals(expected.subList(99, 200), pages.get(100, 200));
  }

  @Test
  void getBuildsACopySoTheCallerCannotChangeTheStoredEntry() {
    EntryPages pages = new EntryPages();
    Entry e = Entry.command(1, 1, new byte[] {1, 2, 3});
    pages.append(e);
    Entry read = pages.get(1);
    assertNotSame(e.data(), read.data());
    read.data()[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, pages.get(1).data());
  }

  @Test
  void anEntryLargerThanAPageGetsAPageOfItsOwn() {
    Random random = new Random(3);
    EntryPages pages = new EntryPages();
    Entry small = entry(1, 1, 10, random);
    Entry big = entry(1, 2, EntryPages.MAX_PAGE_BYTES + 100, random);
    Entry after = entry(2, 3, 20, random);
    pages.append(small);
    pages.append(big);
    pages.append(after);
    assertEquals(List.of(small, big, after), pages.get(1, 3));
  }

  @Test
  void truncationDropsTheSuffixAndLaterAppendsReuseTheSpace() {
    Random random = new Random(11);
    EntryPages pages = new EntryPages();
    List<Entry> expected = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) {
      Entry e = entry(1, i, 100, random);
      pages.append(e);
      expected.add(e);
    }
    // Cut inside an early page, so the later pages are dropped, then write a different suffix.
    pages.truncateFrom(30);
    expected = new ArrayList<>(expected.subList(0, 29));
    assertEquals(29, pages.lastIndex());
    for (int i = 30; i <= 5_000; i++) {
      Entry e = entry(2, i, random.nextInt(200), random);
      pages.append(e);
      expected.add(e);
    }
    assertEquals(expected, pages.get(1, pages.lastIndex()));
    assertThrows(IndexOutOfBoundsException.class, () -> pages.get(5_001));
    assertThrows(IndexOutOfBoundsException.class, () -> pages.term(0));
  }

  @Test
  void truncatingEverythingLeavesAnEmptyLogThatTakesIndexOneAgain() {
    EntryPages pages = new EntryPages();
    pages.append(Entry.noop(1, 1));
    pages.append(Entry.command(1, 2, new byte[] {5}));
    pages.truncateFrom(3); // nothing after the end: no change
    assertEquals(2, pages.lastIndex());
    pages.truncateFrom(1);
    assertEquals(0, pages.lastIndex());
    pages.append(Entry.command(3, 1, new byte[] {6}));
    assertEquals(Entry.command(3, 1, new byte[] {6}), pages.get(1));
  }

  @Test
  void refusesAGapAndATruncationOutsideTheLog() {
    EntryPages pages = new EntryPages();
    assertThrows(IllegalArgumentException.class, () -> pages.append(Entry.noop(1, 2)));
    pages.append(Entry.noop(1, 1));
    assertThrows(IllegalArgumentException.class, () -> pages.append(Entry.noop(1, 1)));
    assertThrows(IllegalArgumentException.class, () -> pages.truncateFrom(0));
    assertThrows(IllegalArgumentException.class, () -> pages.truncateFrom(3));
  }
}
