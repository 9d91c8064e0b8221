package io.raftkv.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.raftkv.core.Message;
import io.raftkv.transport.InboundSink;
import io.raftkv.transport.Transport;
import io.raftkv.wire.Frame;
import io.raftkv.wire.NilextBatching;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Netty transport of one node: one listening port for peers and clients, and one outgoing
 * {@link PeerLink} per peer, bound to this node's own host address so that a cluster on 127.0.0.1,
 * 127.0.0.2, 127.0.0.3 can be partitioned per address by a firewall.
 *
 * <p>Every connection runs the same codec ({@link FrameDecoder}, {@link FrameEncoder}) and, if
 * configured, a {@link LinkDelayHandler}. Accepted connections are checked by {@link
 * AcceptedConnectionHandler} and then feed the {@link InboundSink}.
 *
 * <p>Threading contract: Netty threads (a small event loop group owned by this transport) only
 * decode frames and hand them to the sink. {@link #send}, {@link #flush} and {@link
 * io.raftkv.transport.ClientConnection#send} belong to the node loop thread: writes are queued on
 * their channels and flushed together once per loop iteration. {@link #start} and {@link #close}
 * are called by the owner, once each.
 */
public final class NettyTransport implements Transport {
  private static final System.Logger LOG = System.getLogger(NettyTransport.class.getName());
  private static final long SHUTDOWN_TIMEOUT_MILLIS = 2000;

  /**
   * Event loops per node: two, shared by all of the node's peer and client connections. One loop
   * (one thread less to wake per node) was tried at `c4d142c` on the 2-core reference VM
   * (2026-12-06) and not kept, for want of a clear gain. With 64 clients, puts, fsync, the fast
   * path's ratio to optimized in interleaved pairs was 0.89, 1.04, 1.04, 0.66, 1.23 and 0.79 with
   * one loop (median 0.97), against 0.71, 0.89, 0.79, 0.92 and 0.61 with two (median 0.79). The
   * fast path's throughput still spread as widely: 21,043 to 32,218 puts/s with one loop, 19,679 to
   * 29,070 with two. With 5 nodes, 1 ms links and one client, its put p50 ratio to optimized was
   * 0.61, 0.57 and 0.62 with one loop, against 0.58, 0.56 and 0.54 with two.
   */
  static final int EVENT_LOOPS = 2;

  private final TransportSettings settings;
  private final InboundSink sink;
  private final EventLoopGroup group;
  private final FrameEncoder encoder;
  private final Map<Integer, PeerLink> links = new TreeMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();

  /**
   * Frames the node loop sent since its last {@link #flush}, per channel in send order (node loop
   * thread only). A flush hands each channel its frames in one task on its event loop, which writes
   * them and flushes once: one task and one write system call per channel per node-loop iteration,
   * not one task per frame.
   */
  private final Map<Channel, List<Frame>> outbox = new LinkedHashMap<>();

  private Channel serverChannel;
  private volatile boolean closed;

  /**
   * A transport that is not yet listening.
   *
   * @param sink receives what arrives, from Netty threads
   */
  public NettyTransport(TransportSettings settings, InboundSink sink) {
    this.settings = settings;
    this.sink = sink;
    this.encoder = new FrameEncoder(settings.maxFrameBytes());
    this.group =
        new MultiThreadIoEventLoopGroup(
            EVENT_LOOPS,
            new DefaultThreadFactory("raftkv-net-" + settings.selfId(), true),
            NioIoHandler.newFactory());
  }

  /**
   * Listens on this node's address and starts connecting to every peer.
   *
   * @throws IOException if the port cannot be bound; the transport is then closed
   */
  public void start() throws IOException {
    ServerBootstrap server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted.add(ch);
                    ChannelFuture unused = ch.closeFuture().addListener(f -> accepted.remove(ch));
                    FrameDecoder decoder = newDecoder();
                    ch.pipeline().addLast(decoder);
                    addOutboundHandlers(ch.pipeline());
                    ch.pipeline()
                        .addLast(
                            new AcceptedConnectionHandler(
                                settings, sink, NettyTransport.this, decoder));
                  }
                });
    ChannelFuture bound = server.bind(settings.selfAddress()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      close();
      throw new IOException(
          "node " + settings.selfId() + " cannot listen on " + settings.selfAddress(),
          bound.cause());
    }
    serverChannel = bound.channel();
    LOG.log(
        Level.INFO, "node {0}: listening on {1}", settings.selfId(), serverChannel.localAddress());
    for (int peer : settings.members().keySet()) {
      if (peer != settings.selfId()) {
        PeerLink link = new PeerLink(settings, peer, group.next(), this);
        links.put(peer, link);
        link.start();
      }
    }
  }

  /** The address this transport listens on (useful when it was configured with port 0). */
  public InetSocketAddress boundAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Whether the outgoing link to {@code peer} is connected right now. */
  public boolean isConnected(int peer) {
    PeerLink link = links.get(peer);
    return link != null && link.channel() != null && link.channel().isActive();
  }

  /**
   * Peer messages dropped so far because their peer was not connected, and frames dropped because
   * the transport was shutting down.
   */
  public long droppedMessages() {
    return dropped.get();
  }

  @Override
  public void send(Message message) {
    PeerLink link = links.get(message.to());
    Channel ch = link == null ? null : link.channel();
    if (ch == null || !ch.isActive()) {
      dropped.incrementAndGet();
      return;
    }
    queue(ch, new Frame.PeerMessage(message));
  }

  @Override
  public void flush() {
    for (Map.Entry<Channel, List<Frame>> e : outbox.entrySet()) {
      Channel ch = e.getKey();
      List<Frame> frames = e.getValue();
      try {
        ch.eventLoop().execute(() -> writeAll(ch, frames));
      } catch (RejectedExecutionException stopping) {
        // The transport is shutting down: the frames are lost, as on a closed connection.
        dropped.addAndGet(frames.size());
      }
    }
    outbox.clear();
  }

  /**
   * On {@code ch}'s event loop: writes {@code frames} in order, runs of fast-path acknowledgments
   * packed into batch frames ({@link NilextBatching}), then flushes once.
   */
  static void writeAll(Channel ch, List<Frame> frames) {
    for (Frame f : NilextBatching.pack(frames)) {
      ChannelFuture unused = ch.write(f, ch.voidPromise());
    }
    ch.flush();
  }

  /** Queues {@code frame} on {@code ch} for the next {@link #flush}; node loop thread only. */
  void queue(Channel ch, Frame frame) {
    outbox.computeIfAbsent(ch, c -> new ArrayList<>()).add(frame);
  }

  FrameDecoder newDecoder() {
    return new FrameDecoder(settings.maxFrameBytes());
  }

  /** Adds the outbound side of the pipeline: the optional delay, then the encoder. */
  void addOutboundHandlers(ChannelPipeline pipeline) {
    // Outbound events flow from the tail to the head: the encoder runs first, then the delay.
    if (!settings.linkDelay().isZero()) {
      pipeline.addLast(new LinkDelayHandler(settings.linkDelay()));
    }
    pipeline.addLast(encoder);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
    }
    for (PeerLink link : links.values()) {
      link.close();
    }
    for (Channel ch : accepted) {
      ch.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
    }
    group
        .shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS + 1000);
  }
}
