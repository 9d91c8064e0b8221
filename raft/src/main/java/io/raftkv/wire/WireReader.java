package io.raftkv.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian reader over one frame body. Every read checks the bytes that remain
 * first, so every failure is a {@link MalformedFrameException} naming the field and the offset in
 * the body (the type byte is at offset 0), never an underflow or an oversized allocation.
 */
final class WireReader {
  private final ByteBuffer b;
  private String frame = "frame";
  private CharsetDecoder utf8;

  WireReader(ByteBuffer body) {
    this.b = body.slice().order(ByteOrder.BIG_ENDIAN);
  }

  /** Names the frame being read, for error messages. */
  void frame(String name) {
    this.frame = name;
  }

  int offset() {
    return b.position();
  }

  int remaining() {
    return b.remaining();
  }

  MalformedFrameException malformed(String detail) {
    return malformedAt(b.position(), detail);
  }

  MalformedFrameException malformedAt(int offset, String detail) {
    return new MalformedFrameException(
        frame + " (" + b.limit() + " bytes) at offset " + offset + ": " + detail);
  }

  private void need(int n, String field) {
    if (b.remaining() < n) {
      throw malformed(
          "truncated at " + field + ": need " + n + " bytes, " + b.remaining() + " remain");
    }
  }

  byte u8(String field) {
    need(1, field);
    return b.get();
  }

  int u16(String field) {
    need(2, field);
    return b.getShort() & 0xffff;
  }

  int i32(String field) {
    need(4, field);
    return b.getInt();
  }

  long i64(String field) {
    need(8, field);
    return b.getLong();
  }

  /** An i64 that must not be negative (terms, indices, read rounds). */
  long nonNegative(String field) {
    int at = b.position();
    long v = i64(field);
    if (v < 0) {
      throw malformedAt(at, field + " must not be negative, got " + v);
    }
    return v;
  }

  boolean bool(String field) {
    int at = b.position();
    byte v = u8(field);
    if (v != 0 && v != 1) {
      throw malformedAt(at, field + " must be 0 or 1, got " + v);
    }
    return v == 1;
  }

  private int length(String field) {
    int at = b.position();
    int n = i32(field + " length");
    if (n < 0) {
      throw malformedAt(at, field + " has negative length " + n);
    }
    if (n > b.remaining()) {
      throw malformedAt(
          at, field + " length " + n + " exceeds the " + b.remaining() + " bytes left");
    }
    return n;
  }

  byte[] bytes(String field) {
    int n = length(field);
    byte[] v = new byte[n];
    b.get(v);
    return v;
  }

  String string(String field) {
    int n = length(field);
    int at = b.position();
    ByteBuffer content = b.slice();
    content.limit(n);
    if (utf8 == null) {
      utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    String s;
    try {
      s = utf8.decode(content).toString();
    } catch (CharacterCodingException e) {
      throw malformedAt(at, field + " is not valid UTF-8 (" + e.getMessage() + ")");
    }
    b.position(at + n);
    return s;
  }

  /** A count of items each taking at least {@code minItemBytes}, checked against the input. */
  int count(String field, int minItemBytes) {
    int at = b.position();
    int n = i32(field + " count");
    if (n < 0) {
      throw malformedAt(at, field + " has negative count " + n);
    }
    if (n > b.remaining() / minItemBytes) {
      throw malformedAt(
          at, field + " count " + n + " cannot fit in the " + b.remaining() + " bytes left");
    }
    return n;
  }

  void end() {
    if (b.remaining() != 0) {
      throw malformed(b.remaining() + " trailing bytes");
    }
  }
}
