package io.raftkv.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.raftkv.wire.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The shared part of many client sessions: one Netty event loop group with {@link
 * ClientOptions#ioThreads()} threads, at most one TCP connection per node address, the request id
 * counter, and the last known leader. Thousands of {@link RaftClient} sessions (for example the
 * virtual clients of a load generator) can share one pool; they cost no thread and no connection of
 * their own.
 *
 * <p>Connections are opened on first use and reopened on the next request after one is lost.
 * Retries wait on the event loop's timer; nothing blocks and no thread is started per request.
 *
 * <p>Threading: every method may be called from any thread. The futures of all sessions are
 * completed on the pool's event loop threads, so callbacks attached to them must not block. {@link
 * #close()} fails every operation still running with a {@link RaftClientException}.
 */
public final class ClientConnectionPool implements AutoCloseable {
  private final ClientOptions options;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final Map<String, NodeConnection> connections = new ConcurrentHashMap<>();
  private final Set<RetryingCall<?>> running = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final AtomicReference<String> leaderHint = new AtomicReference<>();
  private final AtomicLong believedTerm = new AtomicLong();
  private final LongAdder fastPathAttempts = new LongAdder();
  private final LongAdder fastPathCompleted = new LongAdder();
  private final LongAdder fastPathRefused = new LongAdder();
  private final LongAdder fastPathTimedOut = new LongAdder();
  private final LongAdder fastPathStraggled = new LongAdder();
  private final LongAdder fastPathBypassed = new LongAdder();
  private final AtomicInteger fastPathInFlight = new AtomicInteger();
  private volatile boolean closed;

  private ClientConnectionPool(ClientOptions options) {
    this.options = options;
    this.group = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.requestTimeout().toMillis()));
  }

  /** Starts a pool; no connection is opened until a session sends its first request. */
  public static ClientConnectionPool open(ClientOptions options) {
    return new ClientConnectionPool(options);
  }

  /**
   * A new session (fresh random client id, seq 1) over this pool. Closing the session does not
   * close the pool.
   */
  public RaftClient newSession() {
    checkOpen();
    return new RaftClient(this, false);
  }

  public ClientOptions options() {
    return options;
  }

  /**
   * Sends the frame {@code request.apply(requestId)} to {@code address} and returns the answer; on
   * a timeout, a lost or refused connection or malformed bytes from the node, the future fails with
   * {@link CallFailedException}.
   */
  CompletableFuture<Frame> call(String address, LongFunction<Frame> request, long timeoutNanos) {
    if (closed) {
      return CompletableFuture.failedFuture(new RaftClientException("client closed"));
    }
    long id = nextRequestId.getAndIncrement();
    return connection(address).call(id, request.apply(id), timeoutNanos);
  }

  private NodeConnection connection(String address) {
    NodeConnection c = connections.get(address);
    if (c != null && !c.isClosed()) {
      return c;
    }
    return connections.compute(
        address,
        (a, existing) -> {
          if (existing != null && !existing.isClosed()) {
            return existing;
          }
          return NodeConnection.start(a, bootstrap, options.linkDelay());
        });
  }

  /** Runs {@code task} on an event loop after {@code delayNanos}. */
  void schedule(Runnable task, long delayNanos) {
    if (closed) {
      return;
    }
    io.netty.util.concurrent.Future<?> unused =
        group.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  /** The highest term a node reported to this pool (fast-path acks, leader queries), or 0. */
  long believedTerm() {
    return believedTerm.get();
  }

  void observeTerm(long term) {
    believedTerm.accumulateAndGet(term, Math::max);
  }

  /** What the fast path of this pool's sessions did so far (all zero without the fast path). */
  public FastPathStats fastPathStats() {
    return new FastPathStats(
        fastPathAttempts.sum(),
        fastPathCompleted.sum(),
        fastPathRefused.sum(),
        fastPathTimedOut.sum(),
        fastPathStraggled.sum(),
        fastPathBypassed.sum());
  }

  /**
   * Whether a nilext update may start a fast-path attempt now: fewer than {@link
   * ClientOptions#fastPathMaxInFlight()} are in flight (or there is no limit). A true answer takes
   * a slot, given back by {@link #fastPathOutcome}; a false one counts the update as bypassed.
   */
  boolean tryStartFastPath() {
    int max = options.fastPathMaxInFlight();
    while (true) {
      int now = fastPathInFlight.get();
      if (max > 0 && now >= max) {
        fastPathBypassed.increment();
        return false;
      }
      if (fastPathInFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back the slot of an attempt that could not start (its request failed to build). */
  void fastPathNotStarted() {
    fastPathInFlight.decrementAndGet();
  }

  /** Counts one fast-path attempt's outcome, once, when it is decided, and frees its slot. */
  void fastPathOutcome(FastPathCall.Outcome outcome) {
    fastPathInFlight.decrementAndGet();
    fastPathAttempts.increment();
    switch (outcome) {
      case COMPLETED -> fastPathCompleted.increment();
      case REFUSED -> fastPathRefused.increment();
      case TIMED_OUT -> fastPathTimedOut.increment();
      case STRAGGLED -> fastPathStraggled.increment();
    }
  }

  /** The address of the node that last answered as leader, or null. */
  String leaderHint() {
    return leaderHint.get();
  }

  void leaderHint(String address) {
    leaderHint.set(address);
  }

  /** Forgets {@code address} as the leader, if it still is the hint. */
  void forgetLeader(String address) {
    leaderHint.compareAndSet(address, null);
  }

  void started(RetryingCall<?> call) {
    running.add(call);
    if (closed) {
      call.abort(new RaftClientException("client closed"));
    }
  }

  void finished(RetryingCall<?> call) {
    running.remove(call);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the connection pool is closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Closes every connection, fails the operations still running and stops the event loop threads,
   * waiting at most a few seconds for them.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<RetryingCall<?>> calls = new ArrayList<>(running);
    for (RetryingCall<?> c : calls) {
      c.abort(new RaftClientException("client closed"));
    }
    for (NodeConnection c : connections.values()) {
      c.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
