package io.raftkv.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into frame bodies: fed chunks of any size, in order, it yields each complete
 * body (type byte and body, without the length prefix) for {@link WireCodec#decodeBody}. This is
 * the logic a Netty decoder wraps; it does no I/O and belongs to one connection.
 *
 * <p>The length field is checked as soon as its four bytes have arrived, before any of the body is
 * buffered: a length below 1 or above the maximum raises {@link MalformedFrameException}. The
 * buffer for a body grows with the bytes that have actually arrived, so a peer that announces a
 * large frame and sends nothing holds no more memory than it sent. After a failure the splitter
 * stays failed: every later {@link #feed} throws the same exception, since the stream can no longer
 * be cut at frame boundaries.
 *
 * <p>Bodies are fresh heap buffers that share nothing with the chunks fed in, so a caller may reuse
 * or release a chunk as soon as {@code feed} returns.
 */
public final class FrameSplitter {
  private static final int INITIAL_BODY_BYTES = 4096;

  private final int maxFrameBytes;
  private final byte[] header = new byte[WireCodec.LENGTH_FIELD_BYTES];
  private int headerBytes;
  private int bodyLength = -1;
  private byte[] body;
  private int bodyBytes;
  private MalformedFrameException failure;

  /** A splitter with the default limit, {@link WireCodec#DEFAULT_MAX_FRAME_BYTES}. */
  public FrameSplitter() {
    this(WireCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /**
   * A splitter that rejects frames whose length field exceeds {@code maxFrameBytes}.
   *
   * @throws IllegalArgumentException if {@code maxFrameBytes} is below 1
   */
  public FrameSplitter(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Consumes every remaining byte of {@code chunk} and returns the bodies it completed, in order.
   * On a bad length the bodies completed before it in this chunk are not returned; use {@link
   * #feed(ByteBuffer, Consumer)} to receive them first.
   *
   * @throws MalformedFrameException on a length field below 1 or above the maximum
   */
  public List<ByteBuffer> feed(ByteBuffer chunk) {
    List<ByteBuffer> out = new ArrayList<>();
    feed(chunk, out::add);
    return out;
  }

  /**
   * Consumes every remaining byte of {@code chunk}, handing each completed body to {@code sink} as
   * soon as it is complete. If a length is bad, the bodies before it have been handed over and the
   * chunk's position is just after the bad length field.
   *
   * @throws MalformedFrameException on a length field below 1 or above the maximum
   */
  public void feed(ByteBuffer chunk, Consumer<ByteBuffer> sink) {
    if (failure != null) {
      throw failure;
    }
    while (chunk.hasRemaining()) {
      if (bodyLength < 0) {
        int n = Math.min(header.length - headerBytes, chunk.remaining());
        chunk.get(header, headerBytes, n);
        headerBytes += n;
        if (headerBytes == header.length) {
          startBody(
              ((header[0] & 0xff) << 24)
                  | ((header[1] & 0xff) << 16)
                  | ((header[2] & 0xff) << 8)
                  | (header[3] & 0xff));
        }
      } else {
        int n = Math.min(bodyLength - bodyBytes, chunk.remaining());
        if (body.length - bodyBytes < n) {
          body = Arrays.copyOf(body, (int) Math.min(bodyLength, (long) bodyBytes * 2 + n));
        }
        chunk.get(body, bodyBytes, n);
        bodyBytes += n;
      }
      if (bodyLength >= 0 && bodyBytes == bodyLength) {
        ByteBuffer complete = ByteBuffer.wrap(body, 0, bodyLength).slice();
        headerBytes = 0;
        bodyLength = -1;
        body = null;
        bodyBytes = 0;
        sink.accept(complete);
      }
    }
  }

  private void startBody(int length) {
    if (length < 1 || length > maxFrameBytes) {
      // As unsigned, so a length with the top bit set reads as the huge number it claims to be.
      failure =
          new MalformedFrameException(
              "frame length "
                  + Integer.toUnsignedString(length)
                  + " is outside 1.."
                  + maxFrameBytes
                  + " (the length counts the type byte and the body)");
      throw failure;
    }
    bodyLength = length;
    body = new byte[Math.min(length, INITIAL_BODY_BYTES)];
    bodyBytes = 0;
  }

  /**
   * The bytes held of a frame not yet complete (length prefix included); 0 at a frame boundary. A
   * connection that closes with a non-zero value ended in the middle of a frame.
   */
  public int bufferedBytes() {
    return bodyLength < 0 ? headerBytes : header.length + bodyBytes;
  }

  /** The largest length field this splitter accepts. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
