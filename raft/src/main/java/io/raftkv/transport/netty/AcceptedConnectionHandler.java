package io.raftkv.transport.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.raftkv.core.Message;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.MalformedCommandException;
import io.raftkv.transport.Inbound;
import io.raftkv.transport.InboundSink;
import io.raftkv.wire.Frame;
import io.raftkv.wire.WireCodec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The last handler of an accepted connection: checks the {@link Frame.Handshake} (the first frame
 * must be one; a peer must name this cluster and a known node id other than this node), then hands
 * every frame, decoded, to the node loop's {@link InboundSink}. Anything unexpected (a malformed
 * frame, a frame of the wrong kind, a peer message claiming another sender) closes this connection
 * with a logged reason; the node keeps serving its other connections.
 *
 * <p>One instance per channel; runs on that channel's event loop only.
 */
final class AcceptedConnectionHandler extends SimpleChannelInboundHandler<Frame> {
  private static final System.Logger LOG =
      System.getLogger(AcceptedConnectionHandler.class.getName());

  private enum State {
    AWAIT_HANDSHAKE,
    PEER,
    CLIENT
  }

  private final TransportSettings settings;
  private final InboundSink sink;
  private final NettyTransport transport;
  private final FrameDecoder decoder;
  private State state = State.AWAIT_HANDSHAKE;
  private int peerId;
  private NettyClientConnection client;
  private boolean closing;

  AcceptedConnectionHandler(
      TransportSettings settings,
      InboundSink sink,
      NettyTransport transport,
      FrameDecoder decoder) {
    this.settings = settings;
    this.sink = sink;
    this.transport = transport;
    this.decoder = decoder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    if (closing) {
      return;
    }
    switch (state) {
      case AWAIT_HANDSHAKE:
        onHandshake(ctx, frame);
        return;
      case PEER:
        onPeerFrame(ctx, frame);
        return;
      case CLIENT:
        onClientFrame(ctx, frame);
        return;
    }
  }

  private void onHandshake(ChannelHandlerContext ctx, Frame frame) {
    if (!(frame instanceof Frame.Handshake h)) {
      reject(ctx, "expected a Handshake first, got " + frame.getClass().getSimpleName());
      return;
    }
    if (h.version() != WireCodec.PROTOCOL_VERSION) {
      reject(
          ctx,
          "unsupported protocol version "
              + h.version()
              + "; this node speaks "
              + WireCodec.PROTOCOL_VERSION);
      return;
    }
    if (h.kind() == Frame.Handshake.Kind.CLIENT) {
      state = State.CLIENT;
      client = new NettyClientConnection(ctx.channel(), transport);
      return;
    }
    if (!h.clusterId().equals(settings.clusterId())) {
      reject(
          ctx,
          "cluster id '"
              + h.clusterId()
              + "' is not this node's cluster '"
              + settings.clusterId()
              + "'");
      return;
    }
    if (h.nodeId() == settings.selfId() || !settings.members().containsKey(h.nodeId())) {
      reject(
          ctx,
          "unknown node id "
              + h.nodeId()
              + " (cluster members: "
              + settings.members().keySet()
              + ", this node: "
              + settings.selfId()
              + ")");
      return;
    }
    state = State.PEER;
    peerId = h.nodeId();
    LOG.log(
        Level.DEBUG,
        "node {0}: accepted peer {1} from {2}",
        settings.selfId(),
        peerId,
        ctx.channel().remoteAddress());
  }

  private void onPeerFrame(ChannelHandlerContext ctx, Frame frame) {
    if (!(frame instanceof Frame.PeerMessage peerMessage)) {
      closeWith(ctx, "peer " + peerId + " sent " + frame.getClass().getSimpleName());
      return;
    }
    Message m = peerMessage.message();
    if (m.from() != peerId || m.to() != settings.selfId()) {
      closeWith(ctx, "peer " + peerId + " sent a message from " + m.from() + " to " + m.to());
      return;
    }
    sink.offer(new Inbound.PeerMessage(m));
  }

  private void onClientFrame(ChannelHandlerContext ctx, Frame frame) {
    if (frame instanceof Frame.ClientRequest r) {
      KvRequest request;
      try {
        request = KvCodec.decode(r.payload());
      } catch (MalformedCommandException e) {
        closeWith(ctx, "malformed request payload: " + e.getMessage());
        return;
      }
      if (!sink.offer(new Inbound.ClientRequest(client, r.requestId(), request, r.payload()))) {
        ChannelFuture unused = ctx.writeAndFlush(new Frame.Busy(r.requestId()));
      }
    } else if (frame instanceof Frame.NilextRequest r) {
      Inbound.NilextRequest in = decodeNilext(ctx, r);
      if (in != null && !sink.offer(in)) {
        ChannelFuture unused = ctx.writeAndFlush(new Frame.Busy(r.requestId()));
      }
    } else if (frame instanceof Frame.NilextBatch b) {
      onNilextBatch(ctx, b);
    } else if (frame instanceof Frame.LeaderQuery || frame instanceof Frame.StatusQuery) {
      sink.offer(new Inbound.ClientQuery(client, frame));
    } else {
      closeWith(ctx, "a client sent " + frame.getClass().getSimpleName());
    }
  }

  /**
   * A batch of fast-path updates: every payload is checked before any is handed over (one bad
   * payload closes the connection, as alone), then all go to the node loop together; if the loop
   * has no room for all of them, every one is answered {@link Frame.Busy}.
   */
  private void onNilextBatch(ChannelHandlerContext ctx, Frame.NilextBatch b) {
    List<Inbound.NilextRequest> requests = new ArrayList<>(b.requests().size());
    for (Frame.NilextRequest r : b.requests()) {
      Inbound.NilextRequest in = decodeNilext(ctx, r);
      if (in == null) {
        return;
      }
      requests.add(in);
    }
    if (!sink.offer(new Inbound.NilextBatch(requests))) {
      for (Frame.NilextRequest r : b.requests()) {
        ChannelFuture unused = ctx.write(new Frame.Busy(r.requestId()));
      }
      ctx.flush();
    }
  }

  /** {@code r} with its payload decoded, or null after closing the connection over a bad one. */
  private Inbound.NilextRequest decodeNilext(ChannelHandlerContext ctx, Frame.NilextRequest r) {
    try {
      return new Inbound.NilextRequest(
          client, r.requestId(), r.term(), KvCodec.decode(r.payload()), r.payload());
    } catch (MalformedCommandException e) {
      closeWith(ctx, "malformed fast-path payload: " + e.getMessage());
      return null;
    }
  }

  private void reject(ChannelHandlerContext ctx, String reason) {
    LOG.log(
        Level.WARNING,
        "node {0}: refused handshake from {1}: {2}",
        settings.selfId(),
        ctx.channel().remoteAddress(),
        reason);
    closing = true;
    ChannelFuture unused =
        ctx.writeAndFlush(new Frame.HandshakeRejected(reason))
            .addListener(ChannelFutureListener.CLOSE);
  }

  private void closeWith(ChannelHandlerContext ctx, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    LOG.log(
        Level.WARNING,
        "node {0}: closing connection from {1}: {2}",
        settings.selfId(),
        ctx.channel().remoteAddress(),
        reason);
    ChannelFuture unused = ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable reason =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    closeWith(ctx, reason.getClass().getSimpleName() + ": " + reason.getMessage());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!closing && decoder.bufferedBytes() > 0) {
      LOG.log(
          Level.WARNING,
          "node {0}: connection from {1} ended in the middle of a frame ({2} bytes held)",
          settings.selfId(),
          ctx.channel().remoteAddress(),
          decoder.bufferedBytes());
    }
    super.channelInactive(ctx);
  }
}
