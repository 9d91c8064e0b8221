package io.raftkv.storage;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryPages;
import java.util.Collections;
import java.util.List;

/**
 * The memory store's copy of its log, kept as bytes ({@link EntryPages}), and the append rule both
 * stores check. Invariant: indices are contiguous from 1 (there is no compaction yet).
 */
final class StoredEntries {
  private final EntryPages entries = new EntryPages();

  long lastIndex() {
    return entries.lastIndex();
  }

  List<Entry> snapshot() {
    return Collections.unmodifiableList(entries.get(1, lastIndex()));
  }

  /**
   * Checks that {@code batch} may be appended: contiguous, starting at an index from 1 to {@code
   * lastIndex() + 1}. Returns the index of the first entry it replaces, or 0 if it replaces none.
   */
  long checkAppend(List<Entry> batch) {
    return checkAppend(lastIndex(), batch);
  }

  /** {@link #checkAppend(List)} for a log that ends at {@code lastIndex}. */
  static long checkAppend(long lastIndex, List<Entry> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    long first = batch.get(0).index();
    if (first > lastIndex + 1) {
      throw new IllegalArgumentException(
          "entries start at index " + first + " but the log ends at " + lastIndex + ": a gap");
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
    return first <= lastIndex ? first : 0;
  }

  /** Appends a batch that passed {@link #checkAppend}, dropping the entries it replaces. */
  void append(List<Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    truncateFrom(batch.get(0).index());
    for (Entry e : batch) {
      entries.append(e);
    }
  }

  /** Drops the entry at {@code index} and every later one. */
  void truncateFrom(long index) {
    if (index <= lastIndex()) {
      entries.truncateFrom(index);
    }
  }
}
