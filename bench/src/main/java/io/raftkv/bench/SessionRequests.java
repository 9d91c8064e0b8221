package io.raftkv.bench;

import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Encoded requests of {@code sessions} client sessions, for feeding a state machine without paying
 * for the encoding on the clock. A {@link Ring} holds one encoded request per position; {@link
 * Ring#next()} hands out a copy of the next one, stamped with its session's next sequence number,
 * so that every request is new to the state machine (seq above the session's last).
 *
 * <p>The stamp writes the seq field in place, at the offset {@code KvCodec} documents ({@code
 * version:u8 type:u8 clientId:i64 seq:i64 ...}); {@link #ring} checks that offset by decoding, so a
 * change of the format fails the benchmark's setup instead of measuring garbage.
 */
final class SessionRequests {
  /** Where seq starts in an encoded request: after the version, type and clientId fields. */
  static final int SEQ_OFFSET = 1 + 1 + 8;

  private static final long FIRST_CLIENT_ID = 1_000_001;

  private final long[] nextSeq;

  SessionRequests(int sessions) {
    if (sessions < 1) {
      throw new IllegalArgumentException("at least one session: " + sessions);
    }
    nextSeq = new long[sessions];
    Arrays.fill(nextSeq, 1);
  }

  int sessions() {
    return nextSeq.length;
  }

  static long clientId(int session) {
    return FIRST_CLIENT_ID + session;
  }

  /** The last sequence number handed out for {@code session}; 0 before any. */
  long lastSeq(int session) {
    return nextSeq[session] - 1;
  }

  /**
   * A ring of {@code size} requests; position {@code i} is {@code command.apply(i)} from session
   * {@code i % sessions()}.
   */
  Ring ring(int size, IntFunction<KvCommand> command) {
    byte[][] encoded = new byte[size][];
    for (int i = 0; i < size; i++) {
      encoded[i] = KvCodec.encode(new KvRequest(clientId(i % sessions()), 1, command.apply(i)));
    }
    Ring ring = new Ring(encoded);
    byte[] probe = encoded[0].clone();
    ByteBuffer.wrap(probe).putLong(SEQ_OFFSET, 12_345);
    if (KvCodec.decode(probe).seq() != 12_345) {
      throw new IllegalStateException("KvCodec's request layout changed: seq is not at offset 10");
    }
    return ring;
  }

  /** Encoded requests handed out in order, round and round. */
  final class Ring {
    private final byte[][] encoded;
    private int cursor;

    private Ring(byte[][] encoded) {
      this.encoded = encoded;
    }

    /** A fresh copy of the next request, with its session's next sequence number. */
    byte[] next() {
      int i = cursor;
      cursor = i + 1 == encoded.length ? 0 : i + 1;
      int session = i % nextSeq.length;
      byte[] b = encoded[i].clone();
      ByteBuffer.wrap(b).putLong(SEQ_OFFSET, nextSeq[session]++);
      return b;
    }
  }
}
