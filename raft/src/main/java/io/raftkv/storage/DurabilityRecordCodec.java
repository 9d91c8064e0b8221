package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes the records of the durabilityLog file and decodes them back. Big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  length: bytes after the CRC field (1 + body length)
 *      4     4  CRC32C of those {@code length} bytes (type and body)
 *      8     1  type: 1 = ENTRY, 2 = REMOVE, 3 = FENCE
 *      9     n  body:
 *                 ENTRY   term:8 command (the KvCodec-encoded nilext request, to the end)
 *                 REMOVE  count:4 then count times (clientId:8 seq:8)
 *                 FENCE   term:8
 * </pre>
 *
 * A record is valid only if its length fits the space left, its CRC matches and its body is well
 * formed for its type; {@link #decode} never throws on bad input, it reports what it found.
 */
final class DurabilityRecordCodec {
  static final int HEADER_BYTES = 8;
  private static final int MIN_LENGTH = 1 + 8; // a FENCE; the shortest useful record
  private static final byte ENTRY = 1;
  private static final byte REMOVE = 2;
  private static final byte FENCE = 3;

  private DurabilityRecordCodec() {}

  /** One record's meaning. */
  sealed interface Record {}

  /** An accepted entry, or a re-tag of a stored one. */
  record EntryRecord(NilextEntry entry) implements Record {}

  /** Removed identities. */
  record RemoveRecord(List<NilextId> ids) implements Record {}

  /** A raised fence. */
  record FenceRecord(long term) implements Record {}

  /**
   * The outcome of decoding one record.
   *
   * @param status what was found
   * @param record the record if {@code VALID}, else null
   * @param size bytes the record takes if {@code VALID}
   * @param problem why it is not valid, for messages
   */
  record Decoded(RecordCodec.Status status, Record record, int size, String problem) {
    static Decoded invalid(RecordCodec.Status status, String problem) {
      return new Decoded(status, null, 0, problem);
    }
  }

  static int entrySize(NilextEntry e) {
    return HEADER_BYTES + 1 + 8 + e.commandSize();
  }

  /** The ENTRY records of a batch in one buffer, ready to write. */
  static ByteBuffer encodeEntries(Collection<NilextEntry> entries) {
    int total = 0;
    for (NilextEntry e : entries) {
      total = Math.addExact(total, entrySize(e));
    }
    ByteBuffer buf = ByteBuffer.allocate(total);
    for (NilextEntry e : entries) {
      int start = begin(buf, ENTRY);
      buf.putLong(e.term()).put(e.command());
      seal(buf, start);
    }
    return buf.flip();
  }

  /** One REMOVE record for all of {@code ids}. */
  static ByteBuffer encodeRemove(Collection<NilextId> ids) {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 1 + 4 + 16 * ids.size());
    int start = begin(buf, REMOVE);
    buf.putInt(ids.size());
    for (NilextId id : ids) {
      buf.putLong(id.clientId()).putLong(id.seq());
    }
    seal(buf, start);
    return buf.flip();
  }

  static ByteBuffer encodeFence(long term) {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 1 + 8);
    int start = begin(buf, FENCE);
    buf.putLong(term);
    seal(buf, start);
    return buf.flip();
  }

  private static int begin(ByteBuffer buf, byte type) {
    int start = buf.position();
    buf.putInt(0).putInt(0).put(type); // length and CRC filled in by seal
    return start;
  }

  private static void seal(ByteBuffer buf, int start) {
    int length = buf.position() - start - HEADER_BYTES;
    buf.putInt(start, length);
    buf.putInt(start + 4, crc(buf, start + HEADER_BYTES, length));
  }

  /** Decodes the record at {@code pos}, looking no further than {@code buf.limit()}. */
  static Decoded decode(ByteBuffer buf, int pos) {
    int left = buf.limit() - pos;
    if (left < HEADER_BYTES) {
      return Decoded.invalid(
          RecordCodec.Status.INCOMPLETE, "record header cut off after " + left + " bytes");
    }
    int length = buf.getInt(pos);
    if (length < MIN_LENGTH) {
      return Decoded.invalid(
          RecordCodec.Status.CORRUPT, "record length " + length + " is impossible");
    }
    if (length > left - HEADER_BYTES) {
      return Decoded.invalid(
          RecordCodec.Status.INCOMPLETE,
          "record of length " + length + " cut off: " + (left - HEADER_BYTES) + " bytes left");
    }
    int body = pos + HEADER_BYTES;
    if (crc(buf, body, length) != buf.getInt(pos + 4)) {
      return Decoded.invalid(RecordCodec.Status.CORRUPT, "CRC mismatch");
    }
    ByteBuffer b = buf.duplicate().position(body + 1).limit(body + length);
    String problem;
    try {
      Record r = body(buf.get(body), b);
      if (r != null) {
        return new Decoded(RecordCodec.Status.VALID, r, HEADER_BYTES + length, null);
      }
      problem = "impossible record of type " + buf.get(body) + " and length " + length;
    } catch (IllegalArgumentException e) { // MalformedCommandException, or not nilext
      problem = "stored command does not decode: " + e.getMessage();
    }
    return Decoded.invalid(RecordCodec.Status.CORRUPT, problem);
  }

  /** The record of {@code type} in {@code b} (exactly its body), or null if malformed. */
  private static Record body(byte type, ByteBuffer b) {
    switch (type) {
      case ENTRY -> {
        if (b.remaining() < 8) {
          return null;
        }
        long term = b.getLong();
        byte[] command = new byte[b.remaining()];
        b.get(command);
        return term < 1 ? null : new EntryRecord(NilextEntry.decode(term, command));
      }
      case REMOVE -> {
        if (b.remaining() < 4) {
          return null;
        }
        int count = b.getInt();
        if (count < 0 || b.remaining() != 16L * count) {
          return null;
        }
        List<NilextId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          ids.add(new NilextId(b.getLong(), b.getLong()));
        }
        return new RemoveRecord(ids);
      }
      case FENCE -> {
        return b.remaining() == 8 ? new FenceRecord(b.getLong()) : null;
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * The offset of the first valid record that starts after {@code from}, or -1: tells a torn tail
   * (nothing valid follows) from corruption in the middle. Cheap checks (length, type) come before
   * the CRC; this runs on the recovery path only.
   */
  static int findValidRecordAfter(ByteBuffer buf, int from) {
    for (int p = from + 1; p + HEADER_BYTES + MIN_LENGTH <= buf.limit(); p++) {
      int length = buf.getInt(p);
      byte type = buf.get(p + HEADER_BYTES);
      boolean plausible =
          length >= MIN_LENGTH
              && length <= buf.limit() - p - HEADER_BYTES
              && (type == ENTRY || type == REMOVE || type == FENCE);
      if (plausible && decode(buf, p).status() == RecordCodec.Status.VALID) {
        return p;
      }
    }
    return -1;
  }

  private static int crc(ByteBuffer buf, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buf.duplicate().limit(offset + length).position(offset));
    return (int) crc.getValue();
  }
}
