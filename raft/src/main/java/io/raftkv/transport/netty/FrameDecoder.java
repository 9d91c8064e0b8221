package io.raftkv.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.raftkv.wire.FrameSplitter;
import io.raftkv.wire.MalformedFrameException;
import io.raftkv.wire.WireCodec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Cuts the byte stream of one connection into {@link io.raftkv.wire.Frame}s with a {@link
 * FrameSplitter} (length checked before the body is buffered) and {@link WireCodec#decodeBody}.
 * Malformed input raises {@link MalformedFrameException} (wrapped by Netty in a {@code
 * DecoderException}); the connection's handler then logs it and closes the connection. After a
 * failure every further byte is discarded: the stream can no longer be cut into frames.
 *
 * <p>One instance per channel; used only on that channel's event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private final FrameSplitter splitter;
  private boolean failed;

  FrameDecoder(int maxFrameBytes) {
    this.splitter = new FrameSplitter(maxFrameBytes);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    ByteBuffer chunk = in.nioBuffer();
    int before = chunk.position();
    try {
      splitter.feed(chunk, body -> out.add(WireCodec.decodeBody(body)));
    } catch (MalformedFrameException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    in.skipBytes(chunk.position() - before);
  }

  /** Bytes of an incomplete frame held when the connection ended; 0 at a frame boundary. */
  int bufferedBytes() {
    return splitter.bufferedBytes();
  }
}
