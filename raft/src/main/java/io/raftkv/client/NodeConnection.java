package io.raftkv.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkv.transport.netty.LinkDelayHandler;
import io.raftkv.wire.Frame;
import io.raftkv.wire.FrameSplitter;
import io.raftkv.wire.MalformedFrameException;
import io.raftkv.wire.NilextBatching;
import io.raftkv.wire.WireCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One TCP connection to one node, shared by every session of a {@link ClientConnectionPool}:
 * requests from many sessions are multiplexed by request id. The connection sends the client
 * handshake first, then requests; answers are matched to their request by id. Answers to a request
 * that already timed out are dropped.
 *
 * <p>When the connection closes, or the node sends malformed bytes (the connection is then closed,
 * as {@code docs/wire-format.md} requires), every request waiting on it fails with a {@link
 * CallFailedException}. A closed connection is never reused; the pool opens a new one for the next
 * request.
 *
 * <p>Writes are coalesced: {@link #call} puts the request in an outbox, and one task on the
 * connection's event loop writes everything the outbox holds and flushes once. Many sessions whose
 * next requests are issued in the same turn of an event loop (the closed-loop case: answers read
 * together, next requests sent together) so cost one write system call and one wake-up of the node,
 * not one each; a lone request waits only for the end of the current turn. Fast-path updates that
 * go out together are packed into one {@link Frame.NilextBatch} ({@link NilextBatching}), and a
 * node's {@link Frame.NilextAckBatch} is unpacked into its acknowledgments.
 *
 * <p>Threading: inbound handling, writes, timeouts and the completion of every future run on this
 * connection's event loop; {@link #call} may be called from any thread.
 */
final class NodeConnection extends ChannelInboundHandlerAdapter {
  private final String address;
  private volatile Channel channel;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final FrameSplitter splitter = new FrameSplitter();
  private volatile boolean closed;
  private volatile String closeReason = "connection closed by the node";
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  /** A request in the outbox, written by the next {@link #drainOutbox} unless done before then. */
  private record Outgoing(Pending pending, Frame frame) {}

  /**
   * A request waiting for its answer. Its state goes from {@link #WAITING} to {@link #WRITTEN} when
   * the write starts, and to {@link #DONE} when it is answered or failed; a request that is done
   * before its write starts is never written, so "not delivered" stays true.
   */
  private static final class Pending {
    static final int WAITING = 0;
    static final int WRITTEN = 1;
    static final int DONE = 2;

    final CompletableFuture<Frame> future = new CompletableFuture<>();
    final AtomicInteger state = new AtomicInteger(WAITING);
    volatile ScheduledFuture<?> timeout;
  }

  private NodeConnection(String address) {
    this.address = address;
  }

  /**
   * Starts connecting to the node at {@code address} with a copy of {@code bootstrap}; the
   * handshake is written as soon as the connection is up.
   */
  static NodeConnection start(String address, Bootstrap bootstrap, Duration linkDelay) {
    NodeConnection c = new NodeConnection(address);
    ChannelHandler handler =
        linkDelay.isZero()
            ? c
            : new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                // Outbound writes flow from this handler towards the head, through the delay.
                ch.pipeline().addLast(new LinkDelayHandler(linkDelay), c);
              }
            };
    ChannelFuture connect =
        bootstrap
            .clone()
            .handler(handler)
            .connect(ClientOptions.host(address), ClientOptions.port(address));
    Channel channel = connect.channel();
    c.channel = channel;
    connect.addListener(
        f -> {
          if (f.isSuccess()) {
            // Written before ready completes, so the handshake precedes every request.
            ChannelFuture unused = channel.writeAndFlush(encode(Frame.Handshake.client()));
            c.ready.complete(null);
          } else {
            // Netty appends the address to the cause's message; the address is said already.
            String cause = describe(f.cause());
            int colon = cause.indexOf(':');
            c.closeReason = "cannot connect: " + (colon > 0 ? cause.substring(0, colon) : cause);
            c.ready.completeExceptionally(f.cause());
            c.closed = true;
            c.failAll(c.closeReason);
          }
        });
    return c;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Sends {@code request} (whose request id is {@code requestId}) and returns its answer, or fails
   * with {@link CallFailedException} after {@code timeoutNanos} or when the connection is lost.
   */
  CompletableFuture<Frame> call(long requestId, Frame request, long timeoutNanos) {
    Pending p = new Pending();
    pending.put(requestId, p);
    if (closed) {
      fail(requestId, closeReason);
      return p.future;
    }
    p.timeout =
        channel
            .eventLoop()
            .schedule(
                () ->
                    fail(
                        requestId,
                        "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms",
                        true,
                        true),
                timeoutNanos,
                TimeUnit.NANOSECONDS);
    var unused =
        ready.whenComplete(
            (ok, err) -> {
              if (err != null) {
                fail(requestId, closeReason);
                return;
              }
              outbox.add(new Outgoing(p, request));
              if (drainScheduled.compareAndSet(false, true)) {
                try {
                  channel.eventLoop().execute(this::drainOutbox);
                } catch (RejectedExecutionException e) {
                  fail(requestId, "client closed", false, false);
                }
              }
            });
    return p.future;
  }

  /**
   * On the event loop: writes every request in the outbox that is still waiting (one that timed out
   * or failed meanwhile is never sent) and flushes once.
   */
  private void drainOutbox() {
    // Cleared before polling: a request added after the last poll schedules the next drain.
    drainScheduled.set(false);
    List<Frame> frames = new ArrayList<>();
    for (Outgoing o = outbox.poll(); o != null; o = outbox.poll()) {
      if (!o.pending().state.compareAndSet(Pending.WAITING, Pending.WRITTEN)) {
        continue; // timed out or failed before it could be written: never sent
      }
      frames.add(o.frame());
    }
    if (frames.isEmpty()) {
      return;
    }
    // Fast-path updates of many sessions issued in this turn go as one batch frame.
    for (Frame f : NilextBatching.pack(frames)) {
      channel
          .write(encode(f))
          .addListener(
              w -> {
                if (!w.isSuccess()) {
                  // No whole frame left: the node cannot have executed any of its requests.
                  String reason = "write failed: " + describe(w.cause());
                  for (long requestId : requestIds(f)) {
                    fail(requestId, reason, false, false);
                  }
                }
              });
    }
    channel.flush();
  }

  /** The ids of the requests a client-to-node frame carries. */
  private static List<Long> requestIds(Frame f) {
    if (f instanceof Frame.NilextBatch b) {
      List<Long> ids = new ArrayList<>(b.requests().size());
      for (Frame.NilextRequest r : b.requests()) {
        ids.add(r.requestId());
      }
      return ids;
    } else if (f instanceof Frame.NilextRequest r) {
      return List.of(r.requestId());
    } else if (f instanceof Frame.ClientRequest r) {
      return List.of(r.requestId());
    } else if (f instanceof Frame.LeaderQuery q) {
      return List.of(q.requestId());
    } else if (f instanceof Frame.StatusQuery q) {
      return List.of(q.requestId());
    }
    throw new IllegalArgumentException("not a client request: " + f);
  }

  /** Closes the connection; waiting requests fail. */
  void close() {
    closeReason = "client closed";
    ChannelFuture unused = channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    try {
      if (closed) {
        return;
      }
      for (ByteBuffer chunk : buf.nioBuffers()) {
        splitter.feed(chunk, body -> onFrame(WireCodec.decodeBody(body)));
      }
    } catch (MalformedFrameException e) {
      protocolError("malformed frame: " + e.getMessage());
    } finally {
      buf.release();
    }
  }

  private void onFrame(Frame f) {
    if (closed) {
      return;
    }
    long id;
    if (f instanceof Frame.ClientReply r) {
      id = r.requestId();
    } else if (f instanceof Frame.NotLeader r) {
      id = r.requestId();
    } else if (f instanceof Frame.Busy r) {
      id = r.requestId();
    } else if (f instanceof Frame.LeaderInfo r) {
      id = r.requestId();
    } else if (f instanceof Frame.StatusInfo r) {
      id = r.requestId();
    } else if (f instanceof Frame.NilextAck r) {
      id = r.requestId();
    } else if (f instanceof Frame.NilextAckBatch b) {
      for (Frame.NilextAck a : b.acks()) {
        onFrame(a);
      }
      return;
    } else if (f instanceof Frame.HandshakeRejected r) {
      protocolError("handshake rejected: " + r.reason());
      return;
    } else {
      protocolError("unexpected frame from a node: " + f);
      return;
    }
    Pending p = pending.remove(id);
    if (p != null) {
      p.state.set(Pending.DONE);
      cancelTimeout(p);
      p.future.complete(f);
    }
  }

  private void protocolError(String reason) {
    closeReason = reason;
    closed = true;
    failAll(reason);
    ChannelFuture unused = channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    failAll(closeReason);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    protocolError("connection error: " + describe(cause));
  }

  private void failAll(String reason) {
    List<Long> ids = new ArrayList<>(pending.keySet());
    for (long id : ids) {
      fail(id, reason);
    }
  }

  private void fail(long requestId, String reason) {
    fail(requestId, reason, true, false);
  }

  /**
   * Fails a waiting request. It may have been delivered if its write had started, unless {@code
   * mayHaveWritten} is false (the write itself failed, so no whole frame left); {@code timedOut}
   * says the per-attempt timeout ended it.
   */
  private void fail(long requestId, String reason, boolean mayHaveWritten, boolean timedOut) {
    Pending p = pending.remove(requestId);
    if (p != null) {
      boolean written = p.state.getAndSet(Pending.DONE) == Pending.WRITTEN;
      cancelTimeout(p);
      p.future.completeExceptionally(
          new CallFailedException(address + ": " + reason, written && mayHaveWritten, timedOut));
    }
  }

  private static void cancelTimeout(Pending p) {
    ScheduledFuture<?> t = p.timeout;
    if (t != null) {
      t.cancel(false);
    }
  }

  private static ByteBuf encode(Frame f) {
    return Unpooled.wrappedBuffer(WireCodec.encode(f));
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
