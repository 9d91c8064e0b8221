package io.raftkv.client;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KeyValue;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One client session of a raftkv cluster: a random 63-bit client id and a sequence number that
 * starts at 1, so that the state machine applies each update once however often it is retried (Raft
 * thesis 6.3). Reads (get, multiGet) are numbered -1, -2, -3, ... from a counter of their own: they
 * need no session, and a read the cluster serves outside the log (ReadIndex, lease) must not use up
 * an update's number (see {@link KvRequest}).
 *
 * <p><b>One operation at a time.</b> A session has at most one key-value operation outstanding: a
 * second {@code put}/{@code get}/... called before the first one's future has completed throws
 * {@link IllegalStateException} at once. Use one session per concurrent caller; sessions are cheap
 * when they share a {@link ClientConnectionPool}. {@link #leader()} and {@link #status(int)} use no
 * sequence number and may run alongside.
 *
 * <p><b>Retries.</b> The session finds the leader (the pool remembers the last one), follows {@code
 * NotLeader} redirects, and after a timeout, a lost connection or malformed bytes tries the next
 * node with the <em>same</em> (clientId, seq); after {@code Busy} it retries the same node after a
 * backoff. Every operation is bounded by {@link ClientOptions#operationDeadline()} and {@link
 * ClientOptions#maxAttempts()}. A sequence number is never reused for another operation, whatever
 * the outcome.
 *
 * <p><b>Failures.</b> A future fails with
 *
 * <ul>
 *   <li>{@link NoQuorumException}: no leader answered in time and the request was never sent
 *       without a definite refusal, so it was <em>not</em> applied (reads always fail this way);
 *   <li>{@link OutcomeUnknownException}: an update was sent and not answered (timeout or connection
 *       lost after sending); it may or may not have been applied;
 *   <li>{@link SessionExpiredException}: the cluster forgot the session and an earlier attempt may
 *       have been applied. The session starts over with a new client id in any case; when no
 *       attempt can have been applied, the operation is resent under the new id transparently;
 *   <li>{@link InvalidCommandException}: the state machine rejected the command; nothing changed;
 *   <li>{@link RaftClientException}: the client was closed, or a protocol error.
 * </ul>
 *
 * <p><b>Threading.</b> Methods may be called from any thread. Futures are completed on the event
 * loop threads of the connection pool: callbacks must not block (use the {@code *Async} variants of
 * {@link CompletableFuture} with an executor of your own for blocking work).
 */
public final class RaftClient implements AutoCloseable {
  private final ClientConnectionPool pool;
  private final boolean ownsPool;
  private final AtomicBoolean busy = new AtomicBoolean();
  // Changed only by the one operation in flight (guarded by busy).
  private volatile long clientId = newClientId();
  private volatile long nextSeq = 1;
  private volatile long nextReadSeq = -1;

  RaftClient(ClientConnectionPool pool, boolean ownsPool) {
    this.pool = pool;
    this.ownsPool = ownsPool;
  }

  /**
   * A session over a pool of its own, closed with the session. Returns at once: connections are
   * opened by the first request.
   */
  public static RaftClient connect(ClientOptions options) {
    return new RaftClient(ClientConnectionPool.open(options), true);
  }

  /** This session's current client id (it changes after the cluster expired the session). */
  public long clientId() {
    return clientId;
  }

  /** The sequence number the next update (put, delete, cas, multiPut) will use. */
  public long nextSeq() {
    return nextSeq;
  }

  /** The (negative) sequence number the next read (get, multiGet) will use. */
  public long nextReadSeq() {
    return nextReadSeq;
  }

  /**
   * Sets {@code key} to {@code value}. With {@link ClientOptions#fastPath()}, put, delete and
   * multiPut first try the fast path ({@link FastPathCall}) and fall back to the leader with the
   * same (clientId, seq); while {@link ClientOptions#fastPathMaxInFlight()} fast-path attempts of
   * the pool are in flight, they go to the leader at once.
   */
  public CompletableFuture<Void> put(Bytes key, Bytes value) {
    return run(new KvCommand.Put(key, value), "put " + key, reply -> ack(reply));
  }

  /** Reads {@code key}; empty when it is absent. */
  public CompletableFuture<Optional<Bytes>> get(Bytes key) {
    return run(
        new KvCommand.Get(key),
        "get " + key,
        reply -> Optional.ofNullable(expect(reply, KvReply.Value.class).value()));
  }

  /** Removes {@code key}; succeeds whether or not it was present. */
  public CompletableFuture<Void> delete(Bytes key) {
    return run(new KvCommand.Delete(key), "delete " + key, reply -> ack(reply));
  }

  /**
   * Sets {@code key} to {@code value} if its current value is {@code expected} (empty: if the key
   * is absent).
   */
  public CompletableFuture<CasOutcome> cas(Bytes key, Optional<Bytes> expected, Bytes value) {
    return run(
        new KvCommand.Cas(key, expected.orElse(null), value),
        "cas " + key,
        reply -> {
          KvReply.CasResult r = expect(reply, KvReply.CasResult.class);
          return new CasOutcome(r.swapped(), Optional.ofNullable(r.current()));
        });
  }

  /** Sets every key to its value atomically. Keys must be distinct and the list non-empty. */
  public CompletableFuture<Void> multiPut(List<KeyValue> entries) {
    return run(
        new KvCommand.MultiPut(entries), "multiPut of " + entries.size() + " keys", r -> ack(r));
  }

  /** Reads several keys from one state; one element per key, in order. */
  public CompletableFuture<List<Optional<Bytes>>> multiGet(List<Bytes> keys) {
    return run(
        new KvCommand.MultiGet(keys),
        "multiGet of " + keys.size() + " keys",
        reply -> {
          List<Optional<Bytes>> out = new ArrayList<>();
          for (Bytes b : expect(reply, KvReply.Values.class).values()) {
            out.add(Optional.ofNullable(b));
          }
          return List.copyOf(out);
        });
  }

  /**
   * Asks the nodes, starting with the last known leader, which node leads; completes with the first
   * answer that names a leader, or fails with {@link NoQuorumException} at the deadline.
   */
  public CompletableFuture<Leader> leader() {
    return new RetryingCall<Leader>(
            pool,
            "leader",
            Frame.LeaderQuery::new,
            (address, reply) -> {
              if (!(reply instanceof Frame.LeaderInfo li)) {
                return unexpected(address, reply);
              }
              pool.observeTerm(li.term());
              if (li.leaderId() == Frame.NO_LEADER) {
                return new RetryingCall.Retry<>(
                    null, false, address + ": no leader known (term " + li.term() + ")");
              }
              String leaderAddress =
                  li.leaderAddress().isEmpty()
                      ? pool.options().cluster().getOrDefault(li.leaderId(), "")
                      : li.leaderAddress();
              if (!leaderAddress.isEmpty()) {
                pool.leaderHint(leaderAddress);
              }
              return new RetryingCall.Done<>(
                  new Leader(li.leaderId(), leaderAddress, li.term(), address));
            },
            false,
            null)
        .start();
  }

  /**
   * The status fields of node {@code nodeId} (role, term, commit index, ... as the node names
   * them), in the node's order. Asks that node only; fails with {@link RaftClientException} if it
   * does not answer before the deadline.
   *
   * @throws IllegalArgumentException if {@code nodeId} is not in the cluster
   */
  public CompletableFuture<Map<String, String>> status(int nodeId) {
    String address = pool.options().cluster().get(nodeId);
    if (address == null) {
      throw new IllegalArgumentException(
          "node " + nodeId + " is not in the cluster " + pool.options().cluster().keySet());
    }
    return new RetryingCall<Map<String, String>>(
            pool,
            "status of node " + nodeId,
            Frame.StatusQuery::new,
            (a, reply) ->
                reply instanceof Frame.StatusInfo si
                    ? new RetryingCall.Done<>(si.fields())
                    : unexpected(a, reply),
            false,
            address)
        .start();
  }

  /** Closes the session; closes the pool too if {@link #connect} created it. */
  @Override
  public void close() {
    if (ownsPool) {
      pool.close();
    }
  }

  private <T> CompletableFuture<T> run(
      KvCommand command, String what, Function<KvReply, T> onSuccess) {
    if (pool.isClosed()) {
      throw new IllegalStateException("the client is closed");
    }
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "this session already has an operation outstanding; a session runs one at a time");
    }
    KvOperation<T> op = new KvOperation<>(command, what, onSuccess);
    CompletableFuture<T> out = new CompletableFuture<>();
    CompletableFuture<T> inner;
    boolean fast = pool.options().fastPath() && command.nilext() && pool.tryStartFastPath();
    try {
      inner =
          fast
              ? new FastPathCall(pool, op.request)
                  .start()
                  .thenCompose(
                      completed ->
                          completed
                              ? CompletableFuture.completedFuture(
                                  onSuccess.apply(new KvReply.Ack()))
                              : op.call.start())
              : op.call.start();
    } catch (RuntimeException e) {
      busy.set(false);
      if (fast) {
        pool.fastPathNotStarted();
      }
      throw e;
    }
    var unused =
        inner.whenComplete(
            (v, err) -> {
              // Free the session before the caller's callbacks run, so they may start the next one.
              busy.set(false);
              if (err != null) {
                if (pool.options().fastPath() && isOutcomeUnknown(err)) {
                  // A later update of this session could complete on the fast path and then be
                  // refused by the state machine (SESSION_EXPIRED) if this one never applied, so
                  // the session starts over (found by the simulator, seed 5500205, LOSSY).
                  clientId = newClientId();
                  nextSeq = 1;
                  nextReadSeq = -1;
                }
                out.completeExceptionally(err);
              } else {
                out.complete(v);
              }
            });
    return out;
  }

  /** The state of one key-value operation: its request, re-targeted only on a new session. */
  private final class KvOperation<T> {
    private final KvCommand command;
    private final String what;
    private final Function<KvReply, T> onSuccess;
    private final RetryingCall<T> call;
    private volatile KvRequest request;
    private boolean renewed;

    KvOperation(KvCommand command, String what, Function<KvReply, T> onSuccess) {
      this.command = command;
      this.what = what;
      this.onSuccess = onSuccess;
      this.request = take(command);
      this.call =
          new RetryingCall<>(
              pool,
              what,
              id -> new Frame.ClientRequest(id, KvCodec.encode(request)),
              this::onReply,
              !KvRequest.isRead(command),
              null);
    }

    private RetryingCall.Step<T> onReply(String address, Frame reply) {
      if (!(reply instanceof Frame.ClientReply cr)) {
        return unexpected(address, reply);
      }
      KvReply r = KvCodec.decodeReply(cr.payload());
      if (r instanceof KvReply.Failure f) {
        return onFailure(address, f);
      }
      pool.leaderHint(address);
      return new RetryingCall.Done<>(onSuccess.apply(r));
    }

    private RetryingCall.Step<T> onFailure(String address, KvReply.Failure f) {
      switch (f.code()) {
        case SESSION_EXPIRED:
          long oldId = clientId;
          clientId = newClientId();
          nextSeq = 1;
          nextReadSeq = -1;
          if (!call.maybeDelivered() && !renewed) {
            // This request was refused, and no earlier attempt can have been applied.
            renewed = true;
            request = take(command);
            return new RetryingCall.Retry<>(
                address, true, address + ": session " + oldId + " expired, resent as new session");
          }
          return new RetryingCall.Fail<>(
              new SessionExpiredException(
                  what
                      + ": session "
                      + oldId
                      + " expired on the cluster and an earlier attempt may have been applied;"
                      + " outcome unknown. The session continues as client "
                      + clientId
                      + ". Node said: "
                      + f.message()));
        case STALE_SEQUENCE:
          return new RetryingCall.Fail<>(
              new RaftClientException(what + ": the cluster saw a later request: " + f.message()));
        case INVALID_COMMAND:
          return new RetryingCall.Fail<>(
              new InvalidCommandException(what + ": invalid command: " + f.message()));
      }
      throw new AssertionError(f.code());
    }
  }

  /** Gives {@code command} this session's next update or read sequence number. */
  private KvRequest take(KvCommand command) {
    long seq;
    if (KvRequest.isRead(command)) {
      seq = nextReadSeq;
      nextReadSeq = seq - 1;
    } else {
      seq = nextSeq;
      nextSeq = seq + 1;
    }
    return new KvRequest(clientId, seq, command);
  }

  private static boolean isOutcomeUnknown(Throwable err) {
    Throwable t = err;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof OutcomeUnknownException || t instanceof SessionExpiredException;
  }

  private static long newClientId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  private static Void ack(KvReply reply) {
    expect(reply, KvReply.Ack.class);
    return null;
  }

  private static <R extends KvReply> R expect(KvReply reply, Class<R> type) {
    if (!type.isInstance(reply)) {
      throw new IllegalStateException(
          "expected " + type.getSimpleName() + " but the node answered " + reply);
    }
    return type.cast(reply);
  }

  private static <T> RetryingCall.Step<T> unexpected(String address, Frame reply) {
    return new RetryingCall.Retry<>(null, false, address + ": unexpected answer " + reply);
  }
}
