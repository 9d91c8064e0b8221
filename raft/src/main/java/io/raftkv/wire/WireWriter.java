package io.raftkv.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian output buffer that starts with room for the 4-byte length prefix, which
 * {@link #finish} fills in.
 */
final class WireWriter {
  private byte[] buf = new byte[64];
  private int len = 4;

  private void ensure(int more) {
    if (buf.length - len < more) {
      long wanted = Math.max((long) buf.length * 2, (long) len + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("frame larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  void u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
  }

  void u16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  void i32(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  void i64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  void bool(boolean v) {
    u8(v ? 1 : 0);
  }

  void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  /** A length-prefixed byte string: i32 length, then the bytes. */
  void bytes(byte[] b) {
    i32(b.length);
    raw(b);
  }

  /**
   * A length-prefixed UTF-8 string. Unlike {@link String#getBytes}, an unpaired surrogate is an
   * error rather than a silent {@code '?'}, so every string that encodes decodes to itself.
   */
  void string(String s, String field) {
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " is not valid Unicode: " + e.getMessage(), e);
    }
    int n = encoded.remaining();
    i32(n);
    ensure(n);
    encoded.get(buf, len, n);
    len += n;
  }

  /**
   * Writes the length prefix and returns the whole frame.
   *
   * @throws IllegalArgumentException if the frame is longer than {@code maxFrameBytes}
   */
  ByteBuffer finish(int maxFrameBytes, String frameName) {
    int length = len - 4;
    if (length > maxFrameBytes) {
      throw new IllegalArgumentException(
          frameName + " frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
    }
    buf[0] = (byte) (length >>> 24);
    buf[1] = (byte) (length >>> 16);
    buf[2] = (byte) (length >>> 8);
    buf[3] = (byte) length;
    return ByteBuffer.wrap(buf, 0, len).slice();
  }
}
