package io.raftkv.client;

import io.raftkv.wire.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One operation and its retries: sends the request to a node, and on each outcome decides what
 * next, until it has an answer, the deadline passes or the attempts run out. The loop is bounded in
 * time ({@link ClientOptions#operationDeadline()}) and in count ({@link
 * ClientOptions#maxAttempts()}); waits between attempts are timers on the event loop, never a
 * blocked thread.
 *
 * <ul>
 *   <li>{@code NotLeader} naming another address: go there at once (pauses only when redirects go
 *       round in a circle);
 *   <li>{@code NotLeader} without an address, a timeout, a lost or refused connection, malformed
 *       bytes: the next node in id order, after a backoff;
 *   <li>{@code Busy}: the same node, after a backoff;
 *   <li>any other answer goes to the {@link ReplyHandler}.
 * </ul>
 *
 * <p>The request is rebuilt for each attempt only to give it a fresh request id; its payload, and
 * so its (clientId, seq), stays the same unless the handler changes it (a new session after {@code
 * SESSION_EXPIRED}).
 */
final class RetryingCall<T> {
  private static final int MAX_ERRORS_SHOWN = 4;

  /** What to do after an answer. */
  sealed interface Step<T> permits Done, Fail, Retry {}

  /** The operation's result. */
  record Done<T>(T value) implements Step<T> {}

  /** The operation fails with this exception. */
  record Fail<T>(RuntimeException error) implements Step<T> {}

  /**
   * Try again at {@code address} ({@code null}: the next node) after the backoff, or at once when
   * {@code now}; {@code why} goes into the error list.
   */
  record Retry<T>(String address, boolean now, String why) implements Step<T> {}

  /** Interprets answers other than NotLeader and Busy. Runs on an event loop thread. */
  interface ReplyHandler<T> {
    Step<T> onReply(String address, Frame reply);
  }

  private final ClientConnectionPool pool;
  private final ClientOptions options;
  private final String what;
  private final LongFunction<Frame> request;
  private final ReplyHandler<T> handler;
  private final boolean update;
  private final String fixedTarget;
  private final List<String> nodes;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private final long startNanos;
  private final long deadlineNanos;
  private final Set<String> tried = new LinkedHashSet<>();
  // The last error of each node, the most recent last.
  private final Map<String, String> lastErrors = new LinkedHashMap<>();
  private int attempts;
  private int failuresInARow;
  private int redirectsInARow;
  private volatile boolean maybeDelivered;

  /**
   * @param what the operation, for messages ({@code "put k"})
   * @param update whether the operation changes state (an unknown outcome matters)
   * @param fixedTarget the only node to ask, or null to look for the leader among all nodes
   */
  RetryingCall(
      ClientConnectionPool pool,
      String what,
      LongFunction<Frame> request,
      ReplyHandler<T> handler,
      boolean update,
      String fixedTarget) {
    this.pool = pool;
    this.options = pool.options();
    this.what = what;
    this.request = request;
    this.handler = handler;
    this.update = update;
    this.fixedTarget = fixedTarget;
    this.nodes = new ArrayList<>(options.cluster().values());
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + options.operationDeadline().toNanos();
  }

  /** Whether an attempt so far may have reached a node without a definite answer. */
  boolean maybeDelivered() {
    return maybeDelivered;
  }

  /** Starts the first attempt and returns the operation's future. */
  CompletableFuture<T> start() {
    pool.started(this);
    String first = fixedTarget;
    if (first == null) {
      first = pool.leaderHint();
    }
    if (first == null) {
      // The lowest id first: deterministic, and the hint soon spreads the load to the leader.
      first = nodes.get(0);
    }
    attempt(first);
    return result;
  }

  /** Fails the operation now (the pool is closing). */
  void abort(RuntimeException e) {
    finish(new Fail<>(e));
  }

  private void attempt(String address) {
    try {
      tryAttempt(address);
    } catch (RuntimeException e) {
      // For example a rejected timer once the pool is closing: fail rather than hang.
      finish(new Fail<>(new RaftClientException(what + " failed: " + e, e)));
    }
  }

  private void tryAttempt(String address) {
    if (result.isDone()) {
      return;
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0 || attempts >= options.maxAttempts()) {
      giveUp();
      return;
    }
    attempts++;
    tried.add(address);
    long timeout = Math.min(options.requestTimeout().toNanos(), remaining);
    var unused =
        pool.call(address, request, timeout)
            .whenComplete(
                (reply, err) -> {
                  if (err == null) {
                    onReply(address, reply);
                  } else if (err instanceof CallFailedException cf) {
                    onFailure(address, cf);
                  } else if (err instanceof RuntimeException re) {
                    finish(new Fail<>(re));
                  } else {
                    finish(new Fail<>(new RaftClientException(what + " failed", err)));
                  }
                });
  }

  private void onFailure(String address, CallFailedException e) {
    if (e.maybeDelivered()) {
      maybeDelivered = true;
    }
    pool.forgetLeader(address);
    redirectsInARow = 0;
    step(new Retry<>(fixedTarget, false, e.getMessage()), address);
  }

  private void onReply(String address, Frame reply) {
    Step<T> s;
    if (reply instanceof Frame.NotLeader nl) {
      pool.forgetLeader(address);
      String why =
          address
              + ": not leader"
              + (nl.leaderId() == Frame.NO_LEADER
                  ? ", no leader known"
                  : " (leader " + nl.leaderId() + " at '" + nl.leaderAddress() + "')");
      if (fixedTarget == null && !nl.leaderAddress().isEmpty()) {
        boolean circle = ++redirectsInARow > nodes.size();
        s = new Retry<>(nl.leaderAddress(), !circle, why);
      } else {
        s = new Retry<>(fixedTarget, false, why);
      }
    } else if (reply instanceof Frame.Busy) {
      s = new Retry<>(address, false, address + ": busy");
    } else {
      redirectsInARow = 0;
      try {
        s = handler.onReply(address, reply);
      } catch (RuntimeException e) {
        // An answer we cannot read: the node may have executed the request.
        maybeDelivered = true;
        s = new Retry<>(fixedTarget, false, address + ": bad answer: " + e.getMessage());
      }
    }
    step(s, address);
  }

  private void step(Step<T> s, String from) {
    if (s instanceof Retry<T> r) {
      remember(from, r.why());
      String next = r.address() != null ? r.address() : nextNode(from);
      if (r.now()) {
        failuresInARow = 0;
        attempt(next);
      } else {
        long delay = backoffNanos();
        if (System.nanoTime() + delay >= deadlineNanos) {
          giveUp();
        } else {
          pool.schedule(() -> attempt(next), delay);
        }
      }
    } else {
      finish(s);
    }
  }

  private long backoffNanos() {
    int shift = Math.min(failuresInARow++, 16);
    long base = options.retryBackoff().toNanos() << shift;
    long capped = Math.min(base, options.maxRetryBackoff().toNanos());
    // Jitter in [capped/2, capped], so sessions that failed together do not retry together.
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  private String nextNode(String from) {
    int i = nodes.indexOf(from);
    return nodes.get((i + 1) % nodes.size());
  }

  private void remember(String node, String why) {
    synchronized (lastErrors) {
      lastErrors.remove(node);
      lastErrors.put(node, why);
      if (lastErrors.size() > MAX_ERRORS_SHOWN) {
        lastErrors.remove(lastErrors.keySet().iterator().next());
      }
    }
  }

  private void giveUp() {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    String errors;
    synchronized (lastErrors) {
      errors = lastErrors.isEmpty() ? "none" : String.join("; ", lastErrors.values());
    }
    String tries =
        "tried "
            + tried.size()
            + (tried.size() == 1 ? " node" : " nodes")
            + " in "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + " for "
            + seconds(ms)
            + "; last errors: "
            + errors;
    RuntimeException e;
    if (update && maybeDelivered) {
      e =
          new OutcomeUnknownException(
              what
                  + ": outcome unknown, the request was sent but not answered, it may or may not"
                  + " have been applied; "
                  + tries);
    } else if (fixedTarget != null) {
      e = new RaftClientException(what + ": node " + fixedTarget + " did not answer; " + tries);
    } else {
      e =
          new NoQuorumException(
              what + ": no leader reachable" + (update ? " (not applied); " : "; ") + tries);
    }
    finish(new Fail<>(e));
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format("%.1f s", ms / 1000.0);
  }

  private void finish(Step<T> s) {
    pool.finished(this);
    if (s instanceof Done<T> d) {
      result.complete(d.value());
    } else if (s instanceof Fail<T> f) {
      result.completeExceptionally(f.error());
    }
  }
}
