package io.raftkv.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkv.wire.Frame;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The outgoing connection from this node to one peer. It connects from this node's own host
 * address, sends the peer {@link Frame.Handshake}, and from then on carries this node's {@link
 * Frame.PeerMessage}s to that peer (answers come back on the peer's own link to this node). When
 * the connection fails or closes it reconnects after a backoff that doubles from {@link
 * #MIN_BACKOFF} to {@link #MAX_BACKOFF}, and returns to the minimum once a connection has lasted
 * {@link #STABLE_AFTER}.
 *
 * <p>Threading: all connecting, reconnecting and backoff state lives on one event loop, the one
 * this link is pinned to; {@link #channel()} (read by the node loop) and {@link #close()} are safe
 * from any thread.
 */
final class PeerLink {
  private static final System.Logger LOG = System.getLogger(PeerLink.class.getName());

  static final Duration MIN_BACKOFF = Duration.ofMillis(50);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
  static final Duration STABLE_AFTER = Duration.ofSeconds(1);

  private final int selfId;
  private final int peerId;
  private final String clusterId;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;
  private final EventLoop loop;
  private final Bootstrap bootstrap;

  private volatile Channel channel;
  private volatile boolean closed;

  // Touched on the pinned event loop only.
  private long backoffMillis = MIN_BACKOFF.toMillis();
  private long connectedAtNanos;
  private boolean loggedDown;

  PeerLink(TransportSettings settings, int peerId, EventLoop loop, NettyTransport transport) {
    this.selfId = settings.selfId();
    this.peerId = peerId;
    this.clusterId = settings.clusterId();
    this.remote = settings.members().get(peerId);
    this.local = new InetSocketAddress(settings.selfAddress().getAddress(), 0);
    this.loop = loop;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(transport.newDecoder());
                    transport.addOutboundHandlers(ch.pipeline());
                    ch.pipeline().addLast(new ReplyHandler());
                  }
                });
  }

  /** Starts connecting; called once. */
  void start() {
    loop.execute(this::connect);
  }

  /** The connected, handshaken channel, or null while the peer is unreachable. */
  Channel channel() {
    return channel;
  }

  int peerId() {
    return peerId;
  }

  /** Closes the connection and stops reconnecting. */
  void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ChannelFuture unused = ch.close();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture f = bootstrap.connect(remote, local);
    f.addListener(
        (ChannelFutureListener)
            done -> {
              if (done.isSuccess()) {
                onConnected(done.channel());
              } else {
                onDown("cannot connect: " + done.cause());
                scheduleReconnect();
              }
            });
  }

  private void onConnected(Channel ch) {
    if (closed) {
      ChannelFuture unused = ch.close();
      return;
    }
    ChannelFuture unused = ch.writeAndFlush(Frame.Handshake.peer(clusterId, selfId));
    connectedAtNanos = System.nanoTime();
    channel = ch;
    if (loggedDown) {
      LOG.log(Level.INFO, "node {0}: connected to peer {1} at {2}", selfId, peerId, remote);
    }
    loggedDown = false;
    ChannelFuture unusedClose =
        ch.closeFuture()
            .addListener(
                (ChannelFutureListener)
                    closedFuture -> {
                      channel = null;
                      if (System.nanoTime() - connectedAtNanos >= STABLE_AFTER.toNanos()) {
                        backoffMillis = MIN_BACKOFF.toMillis();
                      }
                      onDown("connection closed");
                      scheduleReconnect();
                    });
  }

  private void onDown(String why) {
    if (!loggedDown && !closed) {
      loggedDown = true;
      LOG.log(
          Level.INFO,
          "node {0}: peer {1} at {2} unreachable ({3}); retrying with backoff",
          selfId,
          peerId,
          remote,
          why);
    }
  }

  private void scheduleReconnect() {
    if (closed || loop.isShuttingDown()) {
      return;
    }
    long delay = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
    ScheduledFuture<?> unused = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** The last handler of an outgoing link: logs a refused handshake; the peer then closes. */
  final class ReplyHandler extends SimpleChannelInboundHandler<Frame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
      if (frame instanceof Frame.HandshakeRejected rejected) {
        LOG.log(
            Level.WARNING,
            "node {0}: peer {1} refused the handshake: {2}",
            selfId,
            peerId,
            rejected.reason());
      } else {
        LOG.log(
            Level.WARNING,
            "node {0}: peer {1} sent {2} on an outgoing link; closing it",
            selfId,
            peerId,
            frame.getClass().getSimpleName());
      }
      ChannelFuture unused = ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable reason =
          cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      LOG.log(
          Level.WARNING,
          "node {0}: link to peer {1} failed: {2}",
          selfId,
          peerId,
          reason.toString());
      ChannelFuture unused = ctx.close();
    }
  }
}
