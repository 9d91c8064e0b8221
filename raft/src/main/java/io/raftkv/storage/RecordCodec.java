package io.raftkv.storage;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes log entries as segment records and decodes them back. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  length: bytes after the CRC field (17 + data length)
 *      4     4  CRC32C of those {@code length} bytes (term through data)
 *      8     8  term
 *     16     8  index
 *     24     1  entry type: 0 = NOOP, 1 = COMMAND
 *     25     n  data (n = length - 17)
 * </pre>
 *
 * A record is valid only if its length fits the space left, its CRC matches and its type is known;
 * {@link #decode} never throws on bad input, it reports what it found.
 */
final class RecordCodec {
  static final int HEADER_BYTES = 8;
  static final int FIXED_BODY_BYTES = 17;
  private static final byte NOOP = 0;
  private static final byte COMMAND = 1;

  private RecordCodec() {}

  /** What {@link #decode} found at a position. */
  enum Status {
    /** A whole record with a matching CRC and a known entry type. */
    VALID,
    /** The bytes end before the record does: a torn write, or a corrupt length. */
    INCOMPLETE,
    /** A whole record that fails its checks. */
    CORRUPT
  }

  /**
   * The outcome of decoding one record.
   *
   * @param status what was found
   * @param entry the entry if {@code VALID}, else null
   * @param size bytes the record takes if {@code VALID}
   * @param problem why it is not valid, for messages
   */
  record Decoded(Status status, Entry entry, int size, String problem) {
    static Decoded invalid(Status status, String problem) {
      return new Decoded(status, null, 0, problem);
    }
  }

  static int encodedSize(Entry e) {
    return HEADER_BYTES + FIXED_BODY_BYTES + e.data().length;
  }

  /** Encodes a whole batch into one buffer, ready to write; positions it at 0. */
  static ByteBuffer encodeAll(List<Entry> entries) {
    int total = 0;
    for (Entry e : entries) {
      total = Math.addExact(total, encodedSize(e));
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (Entry e : entries) {
      encode(e, buf);
    }
    return buf.flip();
  }

  /** Writes one record at the buffer's position and advances it. */
  static void encode(Entry e, ByteBuffer out) {
    int start = out.position();
    out.putInt(FIXED_BODY_BYTES + e.data().length);
    out.putInt(0); // CRC, filled in below
    out.putLong(e.term());
    out.putLong(e.index());
    out.put(e.type() == EntryType.NOOP ? NOOP : COMMAND);
    out.put(e.data());
    out.putInt(start + 4, crc(out, start + HEADER_BYTES, out.position() - start - HEADER_BYTES));
  }

  /** Decodes the record at {@code pos}, looking no further than {@code buf.limit()}. */
  static Decoded decode(ByteBuffer buf, int pos) {
    int left = buf.limit() - pos;
    if (left < HEADER_BYTES) {
      return Decoded.invalid(Status.INCOMPLETE, "record header cut off after " + left + " bytes");
    }
    int length = buf.getInt(pos);
    if (length < FIXED_BODY_BYTES) {
      return Decoded.invalid(Status.CORRUPT, "record length " + length + " is impossible");
    }
    if (length > left - HEADER_BYTES) {
      return Decoded.invalid(
          Status.INCOMPLETE,
          "record of length " + length + " cut off: " + (left - HEADER_BYTES) + " bytes left");
    }
    int body = pos + HEADER_BYTES;
    if (crc(buf, body, length) != buf.getInt(pos + 4)) {
      return Decoded.invalid(Status.CORRUPT, "CRC mismatch");
    }
    long term = buf.getLong(body);
    long index = buf.getLong(body + 8);
    byte type = buf.get(body + 16);
    if ((type != NOOP && type != COMMAND) || term < 1 || index < 1) {
      return Decoded.invalid(
          Status.CORRUPT,
          "impossible record: type " + type + ", term " + term + ", index " + index);
    }
    byte[] data = new byte[length - FIXED_BODY_BYTES];
    buf.get(body + FIXED_BODY_BYTES, data);
    EntryType entryType = type == NOOP ? EntryType.NOOP : EntryType.COMMAND;
    return new Decoded(
        Status.VALID, new Entry(term, index, entryType, data), HEADER_BYTES + length, null);
  }

  /**
   * The offset of the first valid record that starts after {@code from} with an index of at least
   * {@code minIndex}, or -1. Used to tell a torn tail (nothing valid follows) from corruption in
   * the middle (valid data follows). Cheap field checks (length, type, index range) come before the
   * CRC, so garbage rarely costs a CRC; this runs on the recovery path only.
   */
  static int findValidRecordAfter(ByteBuffer buf, int from, long minIndex) {
    for (int p = from + 1; p + HEADER_BYTES + FIXED_BODY_BYTES <= buf.limit(); p++) {
      int length = buf.getInt(p);
      int left = buf.limit() - p - HEADER_BYTES;
      if (length < FIXED_BODY_BYTES || length > left) {
        continue;
      }
      long index = buf.getLong(p + HEADER_BYTES + 8);
      byte type = buf.get(p + HEADER_BYTES + 16);
      // A later record of this log has an index above minIndex by at most one per record.
      boolean plausible =
          (type == NOOP || type == COMMAND)
              && index >= minIndex
              && index - minIndex <= (p - from) / (HEADER_BYTES + FIXED_BODY_BYTES) + 1;
      if (plausible && decode(buf, p).status() == Status.VALID) {
        return p;
      }
    }
    return -1;
  }

  /**
   * CRC32C of {@code length} bytes of {@code buf} from {@code offset}; shared with the
   * durabilityLog file.
   */
  static int crc(ByteBuffer buf, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().limit(offset + length).position(offset));
    return (int) crc.getValue();
  }
}
