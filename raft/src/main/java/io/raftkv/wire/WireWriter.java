package io.raftkv.wire;

import io.raftkv.codec.ByteWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ByteWriter} that starts with room for the 4-byte length prefix, which {@link #finish}
 * fills in, and writes strings as strict UTF-8.
 */
final class WireWriter extends ByteWriter {
  WireWriter() {
    super(WireCodec.LENGTH_FIELD_BYTES);
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
    i32(encoded.remaining());
    raw(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
  }

  /**
   * Writes the length prefix and returns the whole frame.
   *
   * @throws IllegalArgumentException if the frame is longer than {@code maxFrameBytes}
   */
  ByteBuffer finish(int maxFrameBytes, String frameName) {
    int length = size() - WireCodec.LENGTH_FIELD_BYTES;
    if (length > maxFrameBytes) {
      throw new IllegalArgumentException(
          frameName + " frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
    }
    patchI32(0, length);
    return ByteBuffer.wrap(array(), 0, size()).slice();
  }
}
