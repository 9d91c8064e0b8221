package io.raftkv.transport.netty;

import io.netty.channel.Channel;
import io.raftkv.transport.ClientConnection;
import io.raftkv.wire.Frame;

/**
 * A client connection accepted by a {@link NettyTransport}. {@link #send} queues the frame for the
 * transport's next flush, which writes it; it is called by the node loop thread only.
 */
final class NettyClientConnection implements ClientConnection {
  private final Channel channel;
  private final NettyTransport transport;

  NettyClientConnection(Channel channel, NettyTransport transport) {
    this.channel = channel;
    this.transport = transport;
  }

  @Override
  public void send(Frame frame) {
    if (!channel.isActive()) {
      return;
    }
    transport.queue(channel, frame);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(channel.remoteAddress());
  }

  @Override
  public String toString() {
    return "client " + remoteAddress();
  }
}
