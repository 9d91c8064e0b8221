package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Message;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.Role;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.storage.Durability;
import io.raftkv.storage.LogStore;
import io.raftkv.transport.ClientConnection;
import io.raftkv.transport.Inbound;
import io.raftkv.transport.Transport;
import io.raftkv.transport.netty.RawClient;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
}
