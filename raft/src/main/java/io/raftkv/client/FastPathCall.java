package io.raftkv.client;

import io.raftkv.fastpath.FastPathAck;
import io.raftkv.fastpath.FastPathAcks;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One fast-path attempt of a nil-externalizing update (Skyros §4.2): the request goes to every node
 * at once, tagged with the term the pool believes current, and the attempt succeeds when {@link
 * FastPathAcks} says a supermajority of one term, its leader included, accepted it. It fails over
 * (completes with {@code false}) as soon as that has become impossible, or when the answers still
 * missing have not come within {@link ClientOptions#fastPathTimeout()}, or, once the leader and a
 * majority of the term have accepted ({@link FastPathAcks#onlyStragglersMissing()}), within {@link
 * ClientOptions#fastPathStragglerTimeout()} more, if that is set; the caller then sends the
 * <em>same</em> request on the ordered path, so the session applies it once whichever copies reach
 * the log. Falling back early is as safe as falling back late: the attempt simply stops counting
 * answers, and the ordered path decides the outcome.
 *
 * <p>Each attempt's outcome is counted once in the pool's {@link FastPathStats}: completed, refused
 * (a supermajority became impossible from the answers or lost connections), timed out (some answer
 * was still missing after the timeout) or straggled (the leader and a majority accepted, the rest
 * did not answer within the straggler timeout).
 *
 * <p>Answers arrive on the pool's event loop threads; the tracker is guarded by this object.
 */
final class FastPathCall {
  private final ClientConnectionPool pool;
  private final byte[] payload;
  private final long term;
  private final FastPathAcks acks;
  private final CompletableFuture<Boolean> done = new CompletableFuture<>();
  private int outstanding;
  private boolean sawTimeout;
  private boolean finished;
  private boolean stragglerTimerStarted;

  /** How one attempt ended. */
  enum Outcome {
    COMPLETED,
    REFUSED,
    TIMED_OUT,
    STRAGGLED
  }

  FastPathCall(ClientConnectionPool pool, KvRequest request) {
    this.pool = pool;
    this.payload = KvCodec.encode(request);
    this.term = pool.believedTerm();
    this.acks = new FastPathAcks(pool.options().cluster().keySet(), term);
  }

  /** Sends to every node; completes with whether the update completed on the fast path. */
  CompletableFuture<Boolean> start() {
    // With no term known yet (0) every node refuses, but its answer teaches the pool the term.
    Map<Integer, String> cluster = pool.options().cluster();
    synchronized (this) {
      outstanding = cluster.size();
    }
    long timeout = TimeUnit.NANOSECONDS.convert(pool.options().fastPathTimeout());
    for (Map.Entry<Integer, String> node : cluster.entrySet()) {
      var unused =
          pool.call(node.getValue(), id -> new Frame.NilextRequest(id, term, payload), timeout)
              .whenComplete((reply, err) -> onAnswer(node.getKey(), node.getValue(), reply, err));
    }
    return done;
  }

  private synchronized void onAnswer(int nodeId, String address, Frame reply, Throwable err) {
    outstanding--;
    if (err instanceof CallFailedException f && f.timedOut()) {
      sawTimeout = true;
    }
    if (reply instanceof Frame.NilextAck a && a.nodeId() == nodeId) {
      pool.observeTerm(a.term());
      if (a.leader()) {
        pool.leaderHint(address);
      }
      FastPathAcks.Decision d =
          acks.add(new FastPathAck(nodeId, a.term(), a.leader(), a.accepted()));
      if (d == FastPathAcks.Decision.COMPLETE) {
        finish(Outcome.COMPLETED);
      } else if (d == FastPathAcks.Decision.FALL_BACK) {
        finish(Outcome.REFUSED);
      } else if (acks.onlyStragglersMissing() && !stragglerTimerStarted) {
        Duration straggler = pool.options().fastPathStragglerTimeout();
        if (!straggler.isZero()) {
          stragglerTimerStarted = true;
          pool.schedule(this::onStragglerTimeout, TimeUnit.NANOSECONDS.convert(straggler));
        }
      }
    }
    if (outstanding == 0) {
      finish(sawTimeout ? Outcome.TIMED_OUT : Outcome.REFUSED);
    }
  }

  private synchronized void onStragglerTimeout() {
    finish(Outcome.STRAGGLED);
  }

  /**
   * Decides the attempt once: counted (and its in-flight slot freed) before the future completes,
   * because completing it runs the caller's continuation, which may read the counters at once.
   */
  private void finish(Outcome outcome) {
    if (finished) {
      return;
    }
    finished = true;
    pool.fastPathOutcome(outcome);
    done.complete(outcome == Outcome.COMPLETED);
  }
}
