package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every {@link LogStore} must have, run once per implementation (as Apache Ratis runs one
 * suite per transport). Subclasses say how to open a store and how to restart it.
 */
abstract class LogStoreTest {
  private final List<LogStore> opened = new ArrayList<>();

  /** Opens a fresh, empty store. */
  protected abstract LogStore newStore() throws IOException;

  /**
   * What a restart recovers: the file store is closed and reopened; the memory store, which has no
   * restart, is returned as is.
   */
  protected abstract LogStore restart(LogStore store) throws IOException;

  protected LogStore open() throws IOException {
    return track(newStore());
  }

  protected LogStore reopen(LogStore store) throws IOException {
    return track(restart(store));
  }

  protected LogStore track(LogStore store) {
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() throws IOException {
    for (LogStore s : opened) {
      s.close();
    }
  }

  static Entry entry(long term, long index) {
    return Entry.command(term, index, ("v" + index + "@" + term).getBytes(StandardCharsets.UTF_8));
  }

  static List<Entry> entries(long term, long from, long to) {
    List<Entry> list = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      list.add(entry(term, i));
    }
    return list;
  }

  static List<Entry> concat(List<Entry> a, List<Entry> b) {
    List<Entry> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void newStoreIsEmpty() throws IOException {
    LogStore store = open();
    assertEquals(HardState.INITIAL, store.hardState());
    assertEquals(List.of(), store.entries());
    assertEquals(0, store.lastIndex());
  }

  @Test
  void hardStateAndBatchesSurviveRestart() throws IOException {
    LogStore store = open();
    store.persist(new HardState(1, 2), List.of(Entry.noop(1, 1)));
    store.persist(null, entries(1, 2, 4));
    store.persist(new HardState(3, 0), List.of());
    store.persist(new HardState(3, 3), entries(3, 5, 5));
    List<Entry> expected = concat(List.of(Entry.noop(1, 1)), entries(1, 2, 4));
    expected.add(entry(3, 5));

    LogStore again = reopen(store);
    assertEquals(new HardState(3, 3), again.hardState());
    assertEquals(expected, again.entries());
    assertEquals(5, again.lastIndex());
  }

  @Test
  void nullHardStateKeepsTheStoredOne() throws IOException {
    LogStore store = open();
    store.persist(new HardState(7, 1), List.of());
    store.persist(null, entries(7, 1, 2));
    assertEquals(new HardState(7, 1), reopen(store).hardState());
  }

  @Test
  void conflictingSuffixIsReplacedAndStaysReplaced() throws IOException {
    LogStore store = open();
    store.persist(new HardState(1, 1), entries(1, 1, 5));
    store.persist(new HardState(2, 2), entries(2, 3, 4));
    List<Entry> expected = concat(entries(1, 1, 2), entries(2, 3, 4));
    assertEquals(expected, store.entries());
    assertEquals(4, store.lastIndex());

    LogStore again = reopen(store);
    assertEquals(expected, again.entries());
    again.persist(null, entries(2, 5, 6));
    assertEquals(concat(expected, entries(2, 5, 6)), reopen(again).entries());
  }

  @Test
  void replacingTheWholeLogWorks() throws IOException {
    LogStore store = open();
    store.persist(new HardState(1, 1), entries(1, 1, 3));
    store.persist(new HardState(2, 2), entries(2, 1, 1));
    assertEquals(entries(2, 1, 1), reopen(store).entries());
  }

  @Test
  void aGapIsRejectedAndChangesNothing() throws IOException {
    LogStore store = open();
    store.persist(new HardState(1, 1), entries(1, 1, 2));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.persist(new HardState(2, 2), entries(1, 4, 4)));
    assertTrue(e.getMessage().contains("gap"), e.getMessage());
    assertEquals(new HardState(1, 1), store.hardState());
    assertEquals(entries(1, 1, 2), store.entries());
  }

  @Test
  void nonContiguousBatchIsRejected() throws IOException {
    LogStore store = open();
    List<Entry> holes = List.of(entry(1, 1), entry(1, 3));
    assertThrows(IllegalArgumentException.class, () -> store.persist(null, holes));
    assertEquals(0, store.lastIndex());
  }

  @Test
  void entriesIsASnapshot() throws IOException {
    LogStore store = open();
    store.persist(null, entries(1, 1, 2));
    List<Entry> before = store.entries();
    store.persist(null, entries(1, 3, 3));
    assertEquals(entries(1, 1, 2), before);
    assertThrows(UnsupportedOperationException.class, () -> before.add(entry(1, 9)));
  }

  @Test
  void persistAfterCloseFails() throws IOException {
    LogStore store = open();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.persist(null, entries(1, 1, 1)));
    store.close(); // idempotent
  }
}
