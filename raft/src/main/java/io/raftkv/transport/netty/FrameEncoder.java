package io.raftkv.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.raftkv.wire.Frame;
import io.raftkv.wire.WireCodec;
import java.util.List;

/**
 * Encodes a {@link Frame} into its bytes, length prefix included ({@link WireCodec#encode(Frame,
 * int)}). Stateless, so one instance is shared by every channel.
 */
@ChannelHandler.Sharable
final class FrameEncoder extends MessageToMessageEncoder<Frame> {
  private final int maxFrameBytes;

  FrameEncoder(int maxFrameBytes) {
    super(Frame.class);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
    out.add(Unpooled.wrappedBuffer(WireCodec.encode(frame, maxFrameBytes)));
  }
}
