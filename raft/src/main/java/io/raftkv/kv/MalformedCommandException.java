package io.raftkv.kv;

/**
 * Bytes that are not a valid encoding of a request or reply: truncated, of an unknown version or
 * type, with a length out of range, or with bytes left over. {@link KvCodec} throws only this on
 * bad input, never an index or allocation error.
 */
public final class MalformedCommandException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MalformedCommandException(String message) {
    super(message);
  }
}
