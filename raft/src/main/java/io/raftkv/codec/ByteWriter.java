package io.raftkv.codec;

import java.util.Arrays;

/**
 * A growable big-endian output buffer, the one writer behind the project's hand-written binary
 * formats (the key-value command codec and the wire codec). It may start with a number of reserved
 * bytes that a subclass fills in at the end (a length prefix, say).
 *
 * <p>Not thread-safe: one writer encodes one message.
 */
public class ByteWriter {
  private byte[] buf = new byte[64];
  private int len;

  /** A writer whose first {@code reserved} bytes are left for {@link #patchI32}. */
  protected ByteWriter(int reserved) {
    len = reserved;
  }

  public ByteWriter() {
    this(0);
  }

  private void ensure(int more) {
    if (buf.length - len < more) {
      long wanted = Math.max((long) buf.length * 2, (long) len + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("encoding larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  /** The low 8 bits of {@code v}. */
  public final void u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
  }

  /** The low 16 bits of {@code v}. */
  public final void u16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  public final void i32(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  public final void i64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  public final void bool(boolean v) {
    u8(v ? 1 : 0);
  }

  /** The bytes as they are, without a length. */
  public final void raw(byte[] b) {
    raw(b, 0, b.length);
  }

  public final void raw(byte[] b, int offset, int length) {
    ensure(length);
    System.arraycopy(b, offset, buf, len, length);
    len += length;
  }

  /** A length-prefixed byte string: i32 length, then the bytes. */
  public final void bytes(byte[] b) {
    i32(b.length);
    raw(b);
  }

  /** Bytes written so far, reserved ones included. */
  public final int size() {
    return len;
  }

  /** Overwrites the four bytes at {@code offset} (within what was written or reserved). */
  protected final void patchI32(int offset, int v) {
    for (int i = 0; i < 4; i++) {
      buf[offset + i] = (byte) (v >>> (24 - 8 * i));
    }
  }

  /** The internal array (valid up to {@link #size()}), for wrapping without a copy. */
  protected final byte[] array() {
    return buf;
  }

  /** A copy of what was written. */
  public final byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
