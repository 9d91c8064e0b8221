package io.raftkv.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable byte string, used for keys and values. Invariant: the wrapped array is never
 * modified and never escapes; every array going in or out is copied. Equality and hash code are by
 * content; ordering is unsigned lexicographic (so {@code 0x7f < 0x80}, and a prefix sorts first).
 */
public final class Bytes implements Comparable<Bytes> {
  /** The empty byte string. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private static final int MAX_SHOWN = 32;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] bytes;
  private int hash; // computed lazily; 0 means not yet computed (or a real hash of 0)

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code b}; later changes to {@code b} do not show. */
  public static Bytes of(byte[] b) {
    return new Bytes(b.clone());
  }

  /** The UTF-8 encoding of {@code s}. */
  public static Bytes utf8(String s) {
    return new Bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes ownership of {@code b} without copying; the caller must not keep or change it. */
  static Bytes wrap(byte[] b) {
    return new Bytes(Objects.requireNonNull(b));
  }

  /** The wrapped array itself, for the codec; callers must not modify it. */
  byte[] array() {
    return bytes;
  }

  /** A fresh copy of the content. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** The content decoded as UTF-8 (malformed sequences become U+FFFD). */
  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  /**
   * Printable ASCII content in quotes ({@code "user:1"}), anything else in hex ({@code 0x00ff});
   * long content is cut after 32 bytes with its length shown.
   */
  @Override
  public String toString() {
    int shown = Math.min(bytes.length, MAX_SHOWN);
    StringBuilder sb = new StringBuilder(shown * 2 + 16);
    if (isPrintableAscii(shown)) {
      sb.append('"').append(new String(bytes, 0, shown, StandardCharsets.US_ASCII)).append('"');
    } else {
      sb.append("0x");
      for (int i = 0; i < shown; i++) {
        sb.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
      }
    }
    if (shown < bytes.length) {
      sb.append("...(").append(bytes.length).append(" bytes)");
    }
    return sb.toString();
  }

  private boolean isPrintableAscii(int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] < 0x20 || bytes[i] > 0x7e || bytes[i] == '"') {
        return false;
      }
    }
    return true;
  }
}
