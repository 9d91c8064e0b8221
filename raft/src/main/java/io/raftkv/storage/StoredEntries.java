package io.raftkv.storage;

import io.raftkv.core.Entry;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory copy of a stored log, shared by both stores. Invariant: entry {@code i} sits at
 * position {@code i - 1}; indices are contiguous from 1 (there is no compaction yet).
 */
final class StoredEntries {
  private final ArrayList<Entry> entries = new ArrayList<>();

  long lastIndex() {
    return entries.size();
  }

  List<Entry> snapshot() {
    return List.copyOf(entries);
  }

  /**
   * Checks that {@code batch} may be appended: contiguous, starting at an index from 1 to {@code
   * lastIndex() + 1}. Returns the index of the first entry it replaces, or 0 if it replaces none.
   */
  long checkAppend(List<Entry> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    long first = batch.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "entries start at index " + first + " but the log ends at " + lastIndex() + ": a gap");
    }
    for (int i = 1; i < batch.size(); i++) {
      if (batch.get(i).index() != first + i) {
        throw new IllegalArgumentException(
            "entries are not contiguous: index "
                + batch.get(i).index()
                + " after "
                + (first + i - 1));
      }
    }
    return first <= lastIndex() ? first : 0;
  }

  /** Appends a batch that passed {@link #checkAppend}, dropping the entries it replaces. */
  void append(List<Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    truncateFrom(batch.get(0).index());
    entries.addAll(batch);
  }

  /** Drops the entry at {@code index} and every later one. */
  void truncateFrom(long index) {
    if (index <= lastIndex()) {
      entries.subList((int) (index - 1), entries.size()).clear();
    }
  }

  /** Adds one entry recovered from disk; the caller has checked its index. */
  void addRecovered(Entry e) {
    entries.add(e);
  }
}
