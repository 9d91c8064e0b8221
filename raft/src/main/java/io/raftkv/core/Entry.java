package io.raftkv.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry. Invariant (Log Matching, Raft 5.3): two logs holding an entry with the same index
 * and term are identical up to that index. The data array is never modified once the entry exists.
 *
 * @param term the leader's term when the entry was created, at least 1
 * @param index the position in the log, starting at 1
 * @param type no-op or command
 * @param data the command bytes; empty for a no-op
 */
// The array is never mutated after construction (see above) and equals/hashCode compare content.
@SuppressWarnings("ArrayRecordComponent")
public record Entry(long term, long index, EntryType type, byte[] data) {
  private static final byte[] EMPTY = new byte[0];

  public Entry {
    if (term < 1 || index < 1) {
      throw new IllegalArgumentException("term and index start at 1: " + term + "/" + index);
    }
    Objects.requireNonNull(type, "type");
    data = data == null ? EMPTY : data;
  }

  public static Entry noop(long term, long index) {
    return new Entry(term, index, EntryType.NOOP, EMPTY);
  }

  public static Entry command(long term, long index, byte[] data) {
    return new Entry(term, index, EntryType.COMMAND, data);
  }

  /** Approximate size on the wire, used for byte limits on AppendEntries. */
  public int sizeBytes() {
    return sizeBytes(data.length);
  }

  /** {@link #sizeBytes()} of an entry with {@code dataLength} bytes of data. */
  public static int sizeBytes(int dataLength) {
    return dataLength + 24;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.term == term
        && e.index == index
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(term, index, type) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Entry[" + index + "@" + term + " " + type + " " + data.length + "B]";
  }
}
