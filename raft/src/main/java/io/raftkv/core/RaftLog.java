package io.raftkv.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory view of a node's log, with what of it has been handed to the caller for persisting
 * and what is known to be durable.
 *
 * <p>The entries are kept as bytes in {@link EntryPages}, so that a long log is not a mass of small
 * objects for the collector to copy; the last {@link #RECENT} entries are also kept as objects, in
 * a ring, since replication, persisting and applying read them again within milliseconds.
 *
 * <p>Invariants: indices are contiguous from 1 to {@link #lastIndex()}; {@code stableIndex <=
 * handedIndex <= lastIndex}; only entries above {@code stableIndex} can be replaced by a
 * conflicting suffix (Raft 5.3), and callers never truncate at or below the commit index; a ring
 * slot is used only if it holds the entry of the asked index (appending index {@code i} overwrites
 * slot {@code i mod RECENT}, and indices above {@link #lastIndex()} are never looked up).
 */
final class RaftLog {
  /** Entries kept as objects as well as bytes: the newest ones, by index modulo this power of 2. */
  static final int RECENT = 1024;

  private final EntryPages entries = new EntryPages();
  private final Entry[] recent = new Entry[RECENT];

  /** Highest index the caller has confirmed durable. */
  private long stableIndex;

  /** Highest index already handed out in a Ready for persisting. */
  private long handedIndex;

  /** Starts from entries restored from stable storage (all of them durable). */
  RaftLog(List<Entry> restored) {
    long expect = 1;
    for (Entry e : restored) {
      if (e.index() != expect) {
        throw new IllegalArgumentException(
            "restored log is not contiguous: expected index " + expect + ", got " + e.index());
      }
      entries.append(e);
      expect++;
    }
    stableIndex = lastIndex();
    handedIndex = stableIndex;
  }

  long lastIndex() {
    return entries.lastIndex();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** The term of the entry at {@code index}; 0 for index 0; -1 if the log does not reach it. */
  long term(long index) {
    if (index == 0) {
      return 0;
    }
    if (index < 0 || index > lastIndex()) {
      return -1;
    }
    return entries.term(index);
  }

  Entry entry(long index) {
    if (index < 1 || index > lastIndex()) {
      return null;
    }
    Entry cached = recent[(int) (index & (RECENT - 1))];
    return cached != null && cached.index() == index ? cached : entries.get(index);
  }

  boolean matchTerm(long index, long term) {
    return term(index) == term;
  }

  /** Raft 5.4.1: whether a log ending at (lastTerm, lastIndex) is at least as up-to-date. */
  boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
    long myTerm = lastTerm();
    return otherLastTerm > myTerm || (otherLastTerm == myTerm && otherLastIndex >= lastIndex());
  }

  void append(Entry e) {
    if (e.index() != lastIndex() + 1) {
      throw new IllegalStateException("append at " + e.index() + " after " + lastIndex());
    }
    entries.append(e);
    recent[(int) (e.index() & (RECENT - 1))] = e;
  }

  /** Removes the entry at {@code index} and every entry after it (a conflicting suffix). */
  void truncateFrom(long index) {
    if (index < 1 || index > lastIndex()) {
      throw new IllegalArgumentException("truncate at " + index + " of " + lastIndex());
    }
    entries.truncateFrom(index);
    stableIndex = Math.min(stableIndex, index - 1);
    handedIndex = Math.min(handedIndex, index - 1);
  }

  /** Entries in {@code [from, to]}, limited by count and bytes, at least one if any exist. */
  List<Entry> slice(long from, long to, int maxCount, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i <= Math.min(to, lastIndex()) && out.size() < maxCount; i++) {
      bytes += Entry.sizeBytes(entries.dataLength(i));
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(entry(i));
    }
    return out;
  }

  /** The first index holding {@code term}, scanning down from {@code index}. */
  long firstIndexOfTerm(long index, long term) {
    long i = index;
    while (i > 1 && term(i - 1) == term) {
      i--;
    }
    return i;
  }

  /** The last index at or below {@code index} whose term is {@code term}, or 0 if none. */
  long lastIndexOfTerm(long index, long term) {
    for (long i = Math.min(index, lastIndex()); i >= 1; i--) {
      long t = term(i);
      if (t == term) {
        return i;
      }
      if (t < term) {
        return 0;
      }
    }
    return 0;
  }

  /** Entries not yet handed out for persisting; marks them handed out. */
  List<Entry> takeUnpersisted() {
    List<Entry> out = new ArrayList<>((int) (lastIndex() - handedIndex));
    for (long i = handedIndex + 1; i <= lastIndex(); i++) {
      out.add(entry(i));
    }
    handedIndex = lastIndex();
    return out;
  }

  boolean hasUnpersisted() {
    return handedIndex < lastIndex();
  }

  /**
   * Records that entries up to {@code index}, the last of which had {@code term}, are durable.
   * Ignored if that entry has since been replaced (the next Ready rewrites it).
   */
  void stableTo(long index, long term) {
    if (matchTerm(index, term) && index > stableIndex) {
      stableIndex = Math.min(index, handedIndex);
    }
  }

  long stableIndex() {
    return stableIndex;
  }
}
