package io.raftkv.wire;

/**
 * Bytes that are not a valid frame: a length out of range, an unknown type byte, a truncated or
 * over-long body, an invalid enum value or a string that is not UTF-8. {@link WireCodec} and {@link
 * FrameSplitter} throw only this on bad input, never an index, underflow or allocation error. The
 * message names the field, what was wrong, and the offset in the frame body (the type byte is at
 * offset 0). A receiver closes the connection that sent it and logs the message.
 */
public final class MalformedFrameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }
}
