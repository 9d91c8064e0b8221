package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import io.raftkv.core.Message;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.Role;
import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.storage.Durability;
import io.raftkv.storage.DurabilityLogStore;
import io.raftkv.storage.LogStore;
import io.raftkv.storage.MemoryDurabilityLogStore;
import io.raftkv.storage.StoredDurabilityLog;
import io.raftkv.transport.ClientConnection;
import io.raftkv.transport.Inbound;
import io.raftkv.transport.Transport;
import io.raftkv.transport.netty.RawClient;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node loop without a network: a one-node cluster and fake connections. */
class NodeLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private LogStore store;
  private NodeLoop loop;

  /** A transport with no peers: a one-node cluster never sends. */
  private static final class NoPeers implements Transport {
    @Override
    public void send(Message message) {
      throw new AssertionError("a one-node cluster has no one to send to: " + message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Collects what the loop sends to one client. */
  private static final class FakeConnection implements ClientConnection {
    final BlockingQueue<Frame> sent = new LinkedBlockingQueue<>();

    @Override
    public void send(Frame frame) {
      sent.add(frame);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public String remoteAddress() {
      return "fake";
    }

    Frame next() throws InterruptedException {
      Frame f = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        throw new AssertionError("no answer within " + WAIT);
      }
      return f;
    }
  }

  /**
   * A memory Raft log whose {@link #persist} waits, once {@link #hold} is called, until {@link
   * #release}: stands in for a slow fsync.
   */
  private static final class HeldLogStore implements LogStore {
    final LogStore inner;
    volatile CountDownLatch gate;
    final CountDownLatch waiting = new CountDownLatch(1);

    HeldLogStore(LogStore inner) {
      this.inner = inner;
    }

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public HardState hardState() {
      return inner.hardState();
    }

    @Override
    public List<Entry> entries() {
      return inner.entries();
    }

    @Override
    public void persist(HardState hardState, List<Entry> entries) throws IOException {
      CountDownLatch g = gate;
      if (g != null) {
        waiting.countDown();
        try {
          g.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      inner.persist(hardState, entries);
    }

    @Override
    public long lastIndex() {
      return inner.lastIndex();
    }

    @Override
    public long syncCount() {
      return inner.syncCount();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  /**
   * A memory durability log that says it forces (so the loop writes it on its durability thread)
   * and whose appends, once {@link #hold} is called, each take a permit.
   */
  private static final class HeldDurabilityStore implements DurabilityLogStore {
    final MemoryDurabilityLogStore inner = new MemoryDurabilityLogStore();
    final Semaphore permits = new Semaphore(0);
    final CountDownLatch waiting = new CountDownLatch(1);

    /** The thread of every append, in order. */
    final List<String> appendThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    volatile boolean held;

    @Override
    public StoredDurabilityLog load() {
      return inner.load();
    }

    @Override
    public void append(List<NilextEntry> batch) throws IOException {
      appendThreads.add(Thread.currentThread().getName());
      if (held) {
        waiting.countDown();
        permits.acquireUninterruptibly();
      }
      inner.append(batch);
    }

    @Override
    public void remove(Collection<NilextId> ids) {
      inner.remove(ids);
    }

    @Override
    public void fence(long term) {
      inner.fence(term);
    }

    @Override
    public long syncCount() {
      return inner.syncCount();
    }

    @Override
    public boolean forces() {
      return true;
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @BeforeEach
  void openStore() throws IOException {
    store = LogStore.open(null, Durability.MEMORY);
  }

  @AfterEach
  void stop() throws IOException {
    if (loop != null) {
      loop.close();
    }
    store.close();
  }

  private static ServerConfig config(int maxPending) {
    return new ServerConfig(
        1,
        Map.of(1, RawClient.loopback(7001)),
        null,
        "vanilla",
        Durability.MEMORY,
        "test",
        Duration.ZERO,
        maxPending,
        Map.of());
  }

  private static Inbound.ClientRequest request(
      ClientConnection from, long requestId, long seq, KvCommand command) {
    KvRequest r = new KvRequest(5, seq, command);
    return new Inbound.ClientRequest(from, requestId, r, KvCodec.encode(r));
  }

  private NodeLoop startLoop() {
    loop = new NodeLoop(config(100), RaftConfig.vanilla(), store);
    loop.start(new NoPeers());
    return loop;
  }

  private void awaitLeader() throws InterruptedException {
    assertTrue(
        RawClient.await(WAIT, () -> loop.status().role() == Role.LEADER), "" + loop.status());
  }

  @Test
  void clientRequestsPastTheLimitAreRefused() {
    loop = new NodeLoop(config(2), RaftConfig.vanilla(), store);
    FakeConnection c = new FakeConnection();
    KvCommand get = new KvCommand.Get(Bytes.utf8("k"));
    assertTrue(loop.inbox().offer(request(c, 1, 1, get)));
    assertTrue(loop.inbox().offer(request(c, 2, 2, get)));
    assertFalse(loop.inbox().offer(request(c, 3, 3, get)), "the third is over the limit");
    assertTrue(loop.inbox().offer(new Inbound.ClientQuery(c, new Frame.LeaderQuery(4))));
    assertTrue(
        loop.inbox().offer(new Inbound.PeerMessage(new Message.HeartbeatResponse(2, 1, 1, 0))));
  }

  /** A batch counts each of its updates against the limit, and is taken or refused whole. */
  @Test
  void aFastPathBatchCountsEveryUpdateAgainstTheLimit() {
    loop = new NodeLoop(config(3), RaftConfig.fastpath(), store, new HeldDurabilityStore());
    FakeConnection c = new FakeConnection();
    assertTrue(loop.inbox().offer(nilext(c, 1, 1, 1, "a")));
    assertFalse(
        loop.inbox()
            .offer(
                new Inbound.NilextBatch(
                    List.of(
                        nilext(c, 2, 1, 2, "b"),
                        nilext(c, 3, 1, 3, "c"),
                        nilext(c, 4, 1, 4, "d")))),
        "three more are over the limit of three");
    assertTrue(
        loop.inbox()
            .offer(
                new Inbound.NilextBatch(
                    List.of(nilext(c, 2, 1, 2, "b"), nilext(c, 3, 1, 3, "c")))));
    assertFalse(loop.inbox().offer(nilext(c, 4, 1, 4, "d")), "the limit is reached");
  }

  /** Each update of a batch is accepted and acknowledged as if it had come alone. */
  @Test
  void aFastPathBatchIsAcknowledgedUpdateByUpdate() throws Exception {
    loop = new NodeLoop(config(100), RaftConfig.fastpath(), store, new HeldDurabilityStore());
    loop.start(new NoPeers());
    awaitLeader();
    long term = loop.status().term();
    FakeConnection c = new FakeConnection();
    loop.inbox()
        .offer(
            new Inbound.NilextBatch(
                List.of(
                    nilext(c, 1, term, 1, "a"),
                    nilext(c, 2, term + 1, 2, "b"),
                    nilext(c, 3, term, 3, "c"))));
    List<Frame.NilextAck> acks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      acks.add(assertInstanceOf(Frame.NilextAck.class, c.next()));
    }
    assertEquals(List.of(1L, 2L, 3L), acks.stream().map(Frame.NilextAck::requestId).toList());
    assertEquals(
        List.of(true, false, true),
        acks.stream().map(Frame.NilextAck::accepted).toList(),
        "the update tagged with another term is refused, its neighbours are not");
  }

  @Test
  void oneNodeClusterAppliesAndAnswers() throws Exception {
    startLoop();
    awaitLeader();
    FakeConnection c = new FakeConnection();
    loop.inbox().offer(request(c, 1, 1, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v"))));
    loop.inbox().offer(request(c, 2, 2, new KvCommand.Get(Bytes.utf8("k"))));
    Frame.ClientReply put = assertInstanceOf(Frame.ClientReply.class, c.next());
    assertEquals(1, put.requestId());
    assertEquals(new KvReply.Ack(), KvCodec.decodeReply(put.payload()));
    Frame.ClientReply get = assertInstanceOf(Frame.ClientReply.class, c.next());
    assertEquals(2, get.requestId());
    assertEquals(new KvReply.Value(Bytes.utf8("v")), KvCodec.decodeReply(get.payload()));

    loop.inbox().offer(new Inbound.ClientQuery(c, new Frame.LeaderQuery(3)));
    Frame.LeaderInfo info = assertInstanceOf(Frame.LeaderInfo.class, c.next());
    assertEquals(new Frame.LeaderInfo(3, 1, "127.0.0.1:7001", loop.status().term()), info);
  }

  @Test
  void restartRebuildsTheNodeFromTheStore() throws Exception {
    startLoop();
    awaitLeader();
    FakeConnection c = new FakeConnection();
    loop.inbox().offer(request(c, 1, 1, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v"))));
    assertInstanceOf(Frame.ClientReply.class, c.next());
    loop.close();
    // Read once the loop has stopped: the snapshot is then final.
    NodeStatus before = loop.status();

    startLoop();
    NodeStatus after = loop.status();
    assertEquals(before.lastIndex(), after.lastIndex(), "the log came back");
    assertEquals(before.term(), after.term(), "the term came back");
    awaitLeader();
    // A retry of the same request after the restart is answered from the re-applied session.
    loop.inbox().offer(request(c, 2, 1, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v"))));
    Frame.ClientReply retry = assertInstanceOf(Frame.ClientReply.class, c.next());
    assertEquals(2, retry.requestId());
    assertEquals(new KvReply.Ack(), KvCodec.decodeReply(retry.payload()));
    loop.inbox().offer(request(c, 3, 2, new KvCommand.Get(Bytes.utf8("k"))));
    Frame.ClientReply get = assertInstanceOf(Frame.ClientReply.class, c.next());
    assertEquals(new KvReply.Value(Bytes.utf8("v")), KvCodec.decodeReply(get.payload()));
  }

  /**
   * A fast-path acknowledgment goes out only once its update is in this replica's durability log
   * (Skyros §4.2), and with the rest of its iteration's answers, after the Ready's Raft-log write:
   * the durability log is written first, on the loop thread.
   */
  @Test
  void fastPathAckWaitsForTheDurabilityLogThenForTheIterationsRaftLogWrite() throws Exception {
    HeldLogStore raftLog = new HeldLogStore(store);
    HeldDurabilityStore durable = new HeldDurabilityStore();
    loop = new NodeLoop(config(100), RaftConfig.fastpath(), raftLog, durable);
    loop.start(new NoPeers());
    awaitLeader();
    long term = loop.status().term();
    FakeConnection c = new FakeConnection();

    durable.held = true;
    loop.inbox().offer(nilext(c, 1, term, 1, "a"));
    assertTrue(durable.waiting.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(null, c.sent.poll(200, TimeUnit.MILLISECONDS), "no ack before its write is done");

    // The loop waits for that write; what arrives meanwhile is one iteration: an update on the
    // fast path and an ordered cas whose Raft-log write will be held.
    loop.inbox().offer(nilext(c, 2, term, 2, "b"));
    loop.inbox().offer(request(c, 3, 3, new KvCommand.Cas(Bytes.utf8("c"), null, Bytes.utf8("v"))));
    // Only the first write goes on: its iteration's Raft-log write (which may hold the ordering of
    // the first update, if a tick fell in that iteration) is not held, so its ack can leave.
    durable.permits.release(1);

    Frame.NilextAck first = assertInstanceOf(Frame.NilextAck.class, c.next());
    assertEquals(1, first.requestId());
    raftLog.hold();
    durable.permits.release(100);
    assertTrue(raftLog.waiting.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(
        List.of("raftkv-node-1", "raftkv-node-1"),
        durable.appendThreads,
        "both updates were written, on the loop thread, before the Raft-log write");
    assertEquals(
        null, c.sent.poll(100, TimeUnit.MILLISECONDS), "the second ack waits for the Raft log");

    raftLog.release();
    // The cas's reply and the second ack are answers of the same iteration.
    List<Frame> rest = List.of(c.next(), c.next());
    Frame.NilextAck second =
        (Frame.NilextAck) rest.stream().filter(f -> f instanceof Frame.NilextAck).findFirst().get();
    Frame.ClientReply cas =
        (Frame.ClientReply)
            rest.stream().filter(f -> f instanceof Frame.ClientReply).findFirst().get();
    assertEquals(2, second.requestId());
    assertTrue(first.accepted() && second.accepted(), first + " " + second);
    assertEquals(term, second.term());
    assertEquals(3, cas.requestId());
  }

  private static Inbound.NilextRequest nilext(
      ClientConnection from, long requestId, long term, long seq, String key) {
    KvRequest r = new KvRequest(5, seq, new KvCommand.Put(Bytes.utf8(key), Bytes.utf8("v")));
    return new Inbound.NilextRequest(from, requestId, term, r, KvCodec.encode(r));
  }
}
