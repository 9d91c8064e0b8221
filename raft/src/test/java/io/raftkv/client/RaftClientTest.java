package io.raftkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.Session;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RaftClientTest {
  private static final Bytes K = Bytes.utf8("k");
  private static final Bytes V = Bytes.utf8("v");

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FakeNode node(FakeNode.Script script) throws IOException {
    FakeNode n = new FakeNode(script);
    toClose.add(n);
    return n;
  }

  /** Short timeouts: 300 ms per attempt, 1.5 s per operation, 10..40 ms backoff. */
  private RaftClient client(String... addresses) {
    Map<Integer, String> cluster = new LinkedHashMap<>();
    for (int i = 0; i < addresses.length; i++) {
      cluster.put(i + 1, addresses[i]);
    }
    ClientOptions o =
        ClientOptions.of(cluster)
            .withRequestTimeout(Duration.ofMillis(300))
            .withOperationDeadline(Duration.ofMillis(1500))
            .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40));
    RaftClient c = RaftClient.connect(o);
    toClose.add(c);
    return c;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static String pair(KvRequest r) {
    return r.clientId() + "/" + r.seq();
  }

  @Test
  void putGetDeleteCasAgainstALeader() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    RaftClient c = client(leader.address());

    await(c.put(K, V));
    assertEquals(Optional.of(V), await(c.get(K)));
    assertEquals(
        new CasOutcome(false, Optional.of(V)), await(c.cas(K, Optional.empty(), Bytes.utf8("x"))));
    assertEquals(
        new CasOutcome(true, Optional.of(Bytes.utf8("x"))),
        await(c.cas(K, Optional.of(V), Bytes.utf8("x"))));
    await(c.delete(K));
    assertEquals(Optional.empty(), await(c.get(K)));

    List<KvRequest> seen = leader.kvRequests();
    assertEquals(6, seen.size());
    for (KvRequest r : seen) {
      assertEquals(c.clientId(), r.clientId());
    }
    // Updates count up from 1, reads down from -1: one seq per operation, in order.
    assertEquals(List.of(1L, -1L, 2L, 3L, 4L, -2L), seen.stream().map(KvRequest::seq).toList());
    assertEquals(5, c.nextSeq());
    assertEquals(-3, c.nextReadSeq());
    assertEquals(1, leader.handshakes(), "one connection, handshake first");
  }

  /**
   * A leader that serves reads from its state machine outside the log (as lease reads and ReadIndex
   * do) and applies updates through a log of its own, with the real session rules.
   */
  private static FakeNode.Script readsOutsideTheLog(KvStateMachine sm, List<KvReply> replies) {
    long[] index = {0};
    return (n, request, count) -> {
      if (!(request instanceof Frame.ClientRequest cr)) {
        return new FakeNode.Reply(FakeNode.answer(FakeNode.store(), request));
      }
      KvRequest r = KvCodec.decode(cr.payload());
      KvReply reply;
      synchronized (sm) {
        reply =
            KvRequest.isRead(r.command())
                ? sm.read(r.command())
                : sm.apply(Entry.command(1, ++index[0], cr.payload())).reply();
      }
      replies.add(reply);
      return new FakeNode.Reply(new Frame.ClientReply(cr.requestId(), KvCodec.encodeReply(reply)));
    };
  }

  @Test
  void aReadFirstSessionWritesWithoutSessionExpiredWhenReadsBypassTheLog() throws Exception {
    KvStateMachine sm = new KvStateMachine();
    List<KvReply> replies = new CopyOnWriteArrayList<>();
    FakeNode leader = node(readsOutsideTheLog(sm, replies));
    RaftClient c = client(leader.address());
    long id = c.clientId();

    assertEquals(Optional.empty(), await(c.get(K)));
    await(c.put(K, V));
    assertEquals(List.of(Optional.of(V)), await(c.multiGet(List.of(K))));
    await(c.put(K, Bytes.utf8("w")));

    assertEquals(id, c.clientId(), "the session was never renewed");
    for (KvReply r : replies) {
      assertFalse(r instanceof KvReply.Failure, "no failure (SESSION_EXPIRED above all): " + r);
    }
    assertEquals(
        List.of(-1L, 1L, -2L, 2L), leader.kvRequests().stream().map(KvRequest::seq).toList());
    assertEquals(List.of(new Session(id, 2, new KvReply.Ack(), 2)), sm.sessions());
  }

  @Test
  void followsNotLeaderRedirect() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    FakeNode follower = node(FakeNode.follower(2, leader.address()));
    RaftClient c = client(follower.address(), leader.address());

    await(c.put(K, V));
    assertEquals(Optional.of(V), await(c.get(K)));

    assertEquals(1, follower.kvRequests().size(), "the leader is remembered after the redirect");
    assertEquals(pair(follower.kvRequests().get(0)), pair(leader.kvRequests().get(0)));
    assertEquals(2, leader.kvRequests().size());
  }

  @Test
  void droppedRequestIsRetriedWithTheSameClientIdAndSeq() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    FakeNode leader =
        node(
            (n, request, count) ->
                count == 0
                    ? new FakeNode.Silent()
                    : new FakeNode.Reply(FakeNode.answer(store, request)));
    FakeNode follower = node(FakeNode.follower(1, leader.address()));
    RaftClient c = client(leader.address(), follower.address());

    await(c.put(K, V));

    List<KvRequest> atLeader = leader.kvRequests();
    assertEquals(2, atLeader.size());
    assertEquals(pair(atLeader.get(0)), pair(atLeader.get(1)), "a retry keeps (clientId, seq)");
    assertEquals(1, atLeader.get(0).seq());
    assertEquals(pair(atLeader.get(0)), pair(follower.kvRequests().get(0)));
    assertEquals(2, c.nextSeq());
  }

  @Test
  void busyThenAck() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    FakeNode leader =
        node(
            (n, request, count) ->
                count < 2
                    ? new FakeNode.Reply(new Frame.Busy(FakeNode.requestId(request)))
                    : new FakeNode.Reply(FakeNode.answer(store, request)));
    RaftClient c = client(leader.address());

    await(c.put(K, V));

    List<KvRequest> seen = leader.kvRequests();
    assertEquals(3, seen.size());
    assertEquals(pair(seen.get(0)), pair(seen.get(2)));
    assertEquals(V, store.get(K));
  }

  @Test
  void silentClusterFailsReadsWithNoQuorumWithinTheDeadline() throws Exception {
    FakeNode a = node(FakeNode.silent());
    FakeNode b = node(FakeNode.silent());
    FakeNode d = node(FakeNode.silent());
    RaftClient c = client(a.address(), b.address(), d.address());

    long start = System.nanoTime();
    Throwable t = failure(c.get(K));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertInstanceOf(NoQuorumException.class, t);
    assertTrue(t.getMessage().contains("no leader reachable"), t.getMessage());
    assertTrue(t.getMessage().contains("tried 3 nodes"), t.getMessage());
    assertTrue(ms >= 1000 && ms < 3000, "gave up after " + ms + " ms");
  }

  @Test
  void unansweredUpdateHasAnUnknownOutcome() throws Exception {
    FakeNode a = node(FakeNode.silent());
    RaftClient c = client(a.address());

    Throwable t = failure(c.put(K, V));

    assertInstanceOf(OutcomeUnknownException.class, t);
    assertTrue(t.getMessage().contains("may or may not"), t.getMessage());
    assertEquals(2, c.nextSeq(), "the seq is never reused for another operation");
  }

  /**
   * With the fast path, an update given up on starts a new session: otherwise the next update could
   * complete on the fast path and then be refused when ordered (no session, seq above 1).
   */
  @Test
  void aFastPathSessionStartsOverAfterAnUnknownOutcome() throws Exception {
    FakeNode a = node(FakeNode.silent());
    ClientOptions o =
        ClientOptions.of(Map.of(1, a.address()))
            .withRequestTimeout(Duration.ofMillis(300))
            .withOperationDeadline(Duration.ofMillis(1500))
            .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
            .withFastPath(true, Duration.ofMillis(50));
    RaftClient c = RaftClient.connect(o);
    toClose.add(c);
    long id = c.clientId();

    assertInstanceOf(OutcomeUnknownException.class, failure(c.put(K, V)));

    assertNotEquals(id, c.clientId(), "the session went on after an unknown outcome");
    assertEquals(1, c.nextSeq());
    assertTrue(
        a.requests().stream().anyMatch(f -> f instanceof Frame.NilextRequest),
        "the update was not tried on the fast path first");
  }

  /** A single fast-path node that answers every NilextRequest with {@code accepted}, as leader. */
  private static FakeNode.Script fastPathNode(int id, boolean accepted, Map<Bytes, Bytes> store) {
    return (node, request, n) ->
        request instanceof Frame.NilextRequest r
            ? new FakeNode.Reply(
                new Frame.NilextAck(r.requestId(), id, Math.max(1, r.term()), true, accepted, id))
            : new FakeNode.Reply(FakeNode.answer(store, request));
  }

  private ClientConnectionPool fastPathPool(FakeNode node) {
    return fastPathPool(
        node, ClientOptions.DEFAULT_FAST_PATH_MAX_IN_FLIGHT, Duration.ofMillis(200));
  }

  private ClientConnectionPool fastPathPool(
      FakeNode node, int maxInFlight, Duration fastPathTimeout) {
    ClientConnectionPool pool =
        ClientConnectionPool.open(
            ClientOptions.of(Map.of(1, node.address()))
                .withRequestTimeout(Duration.ofMillis(300))
                .withOperationDeadline(Duration.ofMillis(3000))
                .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .withFastPath(true, fastPathTimeout)
                .withFastPathMaxInFlight(maxInFlight));
    toClose.add(pool);
    return pool;
  }

  /**
   * With one fast-path slot per pool, a second update while the first waits for acknowledgments
   * goes straight to the leader, and finishes first; with no limit both try the fast path.
   */
  @Test
  void updatesBeyondTheInFlightLimitBypassTheFastPath() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    // Fast-path requests are never answered (each attempt times out after 1.5 s, long enough for
    // the second update's ordered round trip on a loaded machine); the ordered path answers at
    // once.
    FakeNode.Script script =
        (node, request, n) ->
            request instanceof Frame.NilextRequest
                ? new FakeNode.Silent()
                : new FakeNode.Reply(FakeNode.answer(store, request));
    FakeNode limitedNode = node(script);
    ClientConnectionPool limited = fastPathPool(limitedNode, 1, Duration.ofMillis(1500));
    CompletableFuture<Void> first = limited.newSession().put(K, V);
    CompletableFuture<Void> second = limited.newSession().put(K, V);
    await(second);
    assertFalse(first.isDone(), "the first update still waits for its fast-path answers");
    await(first);
    assertEquals(new FastPathStats(1, 0, 0, 1, 0, 1), limited.fastPathStats());
    assertEquals(2, limited.fastPathStats().updates());

    ClientConnectionPool unlimited = fastPathPool(node(script), 0, Duration.ofMillis(200));
    CompletableFuture<Void> a = unlimited.newSession().put(K, V);
    CompletableFuture<Void> b = unlimited.newSession().put(K, V);
    await(a);
    await(b);
    assertEquals(new FastPathStats(2, 0, 0, 2, 0, 0), unlimited.fastPathStats());
  }

  /**
   * The pool counts each fast-path attempt once, by how it ended. One node is a supermajority of
   * one; the first attempt carries term 0 (none known yet), so it is refused whatever the node says
   * and teaches the pool the term.
   */
  @Test
  void fastPathStatsCountEachAttemptByHowItEnded() throws Exception {
    FakeNode accepting = node(fastPathNode(1, true, FakeNode.store()));
    ClientConnectionPool pool = fastPathPool(accepting);
    RaftClient c = pool.newSession();
    await(c.put(K, V));
    await(c.put(K, V));
    await(c.delete(K));
    assertEquals(new FastPathStats(3, 2, 1, 0, 0, 0), pool.fastPathStats());

    FakeNode refusing = node(fastPathNode(1, false, FakeNode.store()));
    ClientConnectionPool refused = fastPathPool(refusing);
    RaftClient r = refused.newSession();
    await(r.put(K, V));
    await(r.put(K, V));
    assertEquals(new FastPathStats(2, 0, 2, 0, 0, 0), refused.fastPathStats());
    assertEquals(2, refusing.kvRequests().size(), "both fell back to the ordered path");

    FakeNode silent = node(FakeNode.silent());
    ClientConnectionPool timedOut = fastPathPool(silent);
    assertInstanceOf(OutcomeUnknownException.class, failure(timedOut.newSession().put(K, V)));
    assertEquals(new FastPathStats(1, 0, 0, 1, 0, 0), timedOut.fastPathStats());
    assertEquals(1, timedOut.fastPathStats().fellBack());
  }

  /**
   * In a 3-node cluster the supermajority is every node. When the leader and one follower accept
   * and the third node stays silent, the update falls back to the ordered path after the straggler
   * timeout, not after the (here ten-second) fast-path timeout, and is counted as straggled.
   */
  @Test
  void anUpdateTheLeaderAndAMajorityAcceptedFallsBackAfterTheStragglerTimeout() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    FakeNode leader = node(fastPathNode(1, true, store));
    FakeNode follower =
        node(
            (n, request, count) ->
                request instanceof Frame.NilextRequest r
                    ? new FakeNode.Reply(
                        new Frame.NilextAck(
                            r.requestId(), 2, Math.max(1, r.term()), false, true, 1))
                    : new FakeNode.Silent());
    FakeNode silent = node(FakeNode.silent());
    ClientConnectionPool pool =
        ClientConnectionPool.open(
            ClientOptions.of(
                    Map.of(1, leader.address(), 2, follower.address(), 3, silent.address()))
                .withRequestTimeout(Duration.ofSeconds(20))
                .withOperationDeadline(Duration.ofSeconds(30))
                .withFastPath(true, Duration.ofSeconds(10))
                .withFastPathStragglerTimeout(Duration.ofMillis(20)));
    toClose.add(pool);
    RaftClient c = pool.newSession();
    // The first attempt carries term 0 and is refused; it teaches the pool term 1 and the leader.
    await(c.put(K, V));
    long start = System.nanoTime();
    await(c.put(K, Bytes.utf8("v2")));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(new FastPathStats(2, 0, 1, 0, 1, 0), pool.fastPathStats());
    assertEquals(2, leader.kvRequests().size(), "both updates went on to the leader's log");
    assertEquals(Bytes.utf8("v2"), store.get(K));
    assertTrue(tookMillis < 10_000, "waited for the fast-path timeout: " + tookMillis + " ms");
  }

  /**
   * Fast-path updates of many sessions issued together leave in batch frames, and one batch of
   * acknowledgments completes every update it answers. The node here holds its answers until all
   * the concurrent updates have arrived, then answers them in a single {@link
   * Frame.NilextAckBatch}.
   */
  @Test
  void concurrentFastPathUpdatesAreBatchedBothWays() throws Exception {
    int sessions = 64;
    Map<Bytes, Bytes> store = FakeNode.store();
    List<Frame.NilextAck> held = new ArrayList<>();
    FakeNode node =
        node(
            (n, request, count) -> {
              if (!(request instanceof Frame.NilextRequest r)) {
                return new FakeNode.Reply(FakeNode.answer(store, request));
              }
              if (r.term() == 0) {
                // The first update teaches the pool the term.
                return new FakeNode.Reply(new Frame.NilextAck(r.requestId(), 1, 3, true, false, 1));
              }
              synchronized (held) {
                held.add(new Frame.NilextAck(r.requestId(), 1, 3, true, true, 1));
                if (held.size() < sessions) {
                  return new FakeNode.Silent();
                }
                return new FakeNode.Reply(new Frame.NilextAckBatch(held));
              }
            });
    ClientConnectionPool pool = fastPathPool(node, 0, Duration.ofSeconds(5));
    await(pool.newSession().put(K, V));
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      puts.add(pool.newSession().put(Bytes.utf8("k" + i), V));
    }
    for (CompletableFuture<Void> p : puts) {
      await(p);
    }
    assertEquals(new FastPathStats(1 + sessions, sessions, 1, 0, 0, 0), pool.fastPathStats());
    assertTrue(node.batches() > 0, "no NilextBatch among " + node.requests().size() + " requests");
  }

  @Test
  void unreachableClusterFailsUpdatesWithNoQuorum() throws Exception {
    String closed1 = closedPort();
    String closed2 = closedPort();
    RaftClient c = client(closed1, closed2);

    Throwable t = failure(c.put(K, V));

    assertInstanceOf(NoQuorumException.class, t);
    assertTrue(t.getMessage().contains("tried 2 nodes"), t.getMessage());
  }

  @Test
  void connectionClosedByTheNodeIsRetriedOnAnotherNode() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    FakeNode closer = node((n, request, count) -> new FakeNode.Close());
    RaftClient c = client(closer.address(), leader.address());

    await(c.put(K, V));

    assertEquals(1, closer.kvRequests().size());
    assertEquals(pair(closer.kvRequests().get(0)), pair(leader.kvRequests().get(0)));
  }

  @Test
  void updateLostWithItsConnectionOnEveryNodeHasAnUnknownOutcome() throws Exception {
    FakeNode a = node((n, request, count) -> new FakeNode.Close());
    FakeNode b = node((n, request, count) -> new FakeNode.Close());
    RaftClient c = client(a.address(), b.address());

    Throwable t = failure(c.delete(K));

    assertInstanceOf(OutcomeUnknownException.class, t);
    assertTrue(t.getMessage().contains("connection closed by the node"), t.getMessage());
    assertEquals(1, a.kvRequests().stream().map(RaftClientTest::pair).distinct().count());
  }

  @Test
  void reconnectsToANodeAfterItClosedTheConnection() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    FakeNode only =
        node(
            (n, request, count) ->
                count == 0
                    ? new FakeNode.Close()
                    : new FakeNode.Reply(FakeNode.answer(store, request)));
    RaftClient c = client(only.address());

    await(c.put(K, V));

    assertEquals(2, only.handshakes(), "a new connection, handshake first");
    assertEquals(pair(only.kvRequests().get(0)), pair(only.kvRequests().get(1)));
    assertEquals(V, store.get(K));
  }

  @Test
  void malformedBytesCloseTheConnectionAndTheOperationIsRetriedElsewhere() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    // A length field of 0 is malformed.
    FakeNode garbage = node((n, request, count) -> new FakeNode.Raw(new byte[] {0, 0, 0, 0, 1}));
    RaftClient c = client(garbage.address(), leader.address());

    await(c.put(K, V));

    assertEquals(pair(garbage.kvRequests().get(0)), pair(leader.kvRequests().get(0)));
    assertTrue(garbage.awaitConnectionsClosed(1, 5, TimeUnit.SECONDS), "the client closed it");
  }

  @Test
  void expiredSessionIsRenewedWhenNothingCanHaveBeenApplied() throws Exception {
    Map<Bytes, Bytes> store = FakeNode.store();
    FakeNode leader =
        node(
            (n, request, count) -> {
              KvRequest r = KvCodec.decode(((Frame.ClientRequest) request).payload());
              if (r.seq() > 1) {
                KvReply expired = new KvReply.Failure(KvReply.Code.SESSION_EXPIRED, "gone");
                return new FakeNode.Reply(
                    new Frame.ClientReply(
                        FakeNode.requestId(request), KvCodec.encodeReply(expired)));
              }
              return new FakeNode.Reply(FakeNode.answer(store, request));
            });
    RaftClient c = client(leader.address());
    await(c.put(K, V));
    long firstId = c.clientId();

    await(c.put(K, Bytes.utf8("w")));

    List<KvRequest> seen = leader.kvRequests();
    assertEquals(3, seen.size());
    assertEquals(2, seen.get(1).seq());
    assertNotEquals(firstId, seen.get(2).clientId());
    assertEquals(1, seen.get(2).seq());
    assertEquals(Bytes.utf8("w"), store.get(K));
    assertEquals(2, c.nextSeq());
  }

  @Test
  void redirectCircleIsBoundedByTheDeadline() throws Exception {
    FakeNode a = node(FakeNode.silent());
    FakeNode b = node(FakeNode.follower(1, a.address()));
    a.script(FakeNode.follower(2, b.address()));
    RaftClient c = client(a.address(), b.address());

    Throwable t = failure(c.put(K, V));

    assertInstanceOf(NoQuorumException.class, t, "every attempt was refused: not applied");
    assertTrue(t.getMessage().contains("not leader (leader 1 at"), t.getMessage());
  }

  @Test
  void attemptsAreBoundedInCount() throws Exception {
    FakeNode busy =
        node(
            (n, request, count) -> new FakeNode.Reply(new Frame.Busy(FakeNode.requestId(request))));
    ClientOptions o =
        ClientOptions.of(Map.of(1, busy.address()))
            .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .withMaxAttempts(3);
    RaftClient c = RaftClient.connect(o);
    toClose.add(c);

    Throwable t = failure(c.put(K, V));

    assertInstanceOf(NoQuorumException.class, t);
    assertTrue(t.getMessage().contains("in 3 attempts"), t.getMessage());
    assertEquals(3, busy.kvRequests().size());
  }

  @Test
  void parsesClusters() {
    assertEquals(
        Map.of(1, "127.0.0.1:7001", 2, "localhost:7002"),
        ClientOptions.parseCluster("1=127.0.0.1:7001, 2=localhost:7002"));
    assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseCluster("1=a:1,1=b:2"));
    assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseCluster("1=nohost"));
    assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseCluster("0=a:1"));
    assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseCluster("1=a:70000"));
    assertThrows(IllegalArgumentException.class, () -> ClientOptions.parseCluster(""));
  }

  @Test
  void oneOperationAtATimePerSession() throws Exception {
    FakeNode a = node(FakeNode.silent());
    RaftClient c = client(a.address());
    CompletableFuture<Void> first = c.put(K, V);

    assertThrows(IllegalStateException.class, () -> c.get(K));

    assertInstanceOf(OutcomeUnknownException.class, failure(first));
  }

  @Test
  void leaderAndStatus() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    FakeNode other =
        node(
            (n, request, count) ->
                new FakeNode.Reply(
                    new Frame.LeaderInfo(FakeNode.requestId(request), 2, "127.0.0.1:9", 5)));
    RaftClient c = client(other.address(), leader.address());

    assertEquals(new Leader(2, "127.0.0.1:9", 5, other.address()), await(c.leader()));
    assertEquals(Map.of("role", "LEADER"), await(c.status(2)));
    assertThrows(IllegalArgumentException.class, () -> c.status(7));
  }

  @Test
  void manySessionsShareOnePool() throws Exception {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    ClientConnectionPool pool =
        ClientConnectionPool.open(ClientOptions.of(Map.of(1, leader.address())));
    toClose.add(pool);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RaftClient s = pool.newSession();
      Bytes key = Bytes.utf8("k" + i);
      puts.add(s.put(key, V).thenCompose(v -> s.put(key, V)));
    }
    await(CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])));

    assertEquals(400, leader.kvRequests().size());
    assertEquals(1, leader.handshakes(), "all sessions share one connection");
  }

  @Test
  void closingTheClientFailsTheRunningOperation() throws Exception {
    FakeNode a = node(FakeNode.silent());
    RaftClient c = client(a.address());
    CompletableFuture<Void> put = c.put(K, V);

    c.close();

    assertInstanceOf(RaftClientException.class, failure(put));
  }

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }
}
