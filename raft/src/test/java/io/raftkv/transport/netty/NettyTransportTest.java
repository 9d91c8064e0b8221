package io.raftkv.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Message;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import io.raftkv.transport.Inbound;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty transport on 127.0.0.1: handshakes, malformed input on raw sockets, peer traffic and
 * reconnection. The test thread plays the node loop (it calls send, ClientConnection.send and
 * flush).
 */
class NettyTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final List<NettyTransport> transports = new ArrayList<>();
  private final List<RawClient> clients = new ArrayList<>();
  private Map<Integer, InetSocketAddress> members;

  @BeforeEach
  void ports() throws IOException {
    members =
        Map.of(
            1, RawClient.freeLoopbackAddress(),
            2, RawClient.freeLoopbackAddress());
  }

  @AfterEach
  void shutDown() throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    for (NettyTransport t : transports) {
      t.close();
    }
  }

  private NettyTransport start(int id, BlockingQueue<Inbound> sink, Duration delay)
      throws IOException {
    NettyTransport t =
        new NettyTransport(
            new TransportSettings(id, "test", members, delay, 1 << 20),
            in -> {
              sink.add(in);
              return true;
            });
    transports.add(t);
    t.start();
    return t;
  }

  private RawClient client(int node) throws IOException {
    RawClient c = RawClient.client(members.get(node));
    clients.add(c);
    return c;
  }

  private RawClient raw(int node) throws IOException {
    RawClient c = RawClient.connect(members.get(node));
    clients.add(c);
    return c;
  }

  /** Asks a LeaderQuery on {@code c} and answers it as the node loop would. */
  private static void roundTrip(
      RawClient c, NettyTransport t, BlockingQueue<Inbound> sink, long requestId)
      throws IOException, InterruptedException {
    c.send(new Frame.LeaderQuery(requestId));
    Inbound in = sink.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(in, "the query reached the node loop");
    Inbound.ClientQuery q = assertInstanceOf(Inbound.ClientQuery.class, in);
    assertEquals(new Frame.LeaderQuery(requestId), q.query());
    q.from().send(new Frame.LeaderInfo(requestId, 2, "127.0.0.1:1", 7));
    t.flush();
    assertEquals(new Frame.LeaderInfo(requestId, 2, "127.0.0.1:1", 7), c.receive());
  }

  @Test
  void clientHandshakeIsAcceptedAndQueriesAreAnswered() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    NettyTransport t = start(1, sink, Duration.ZERO);
    RawClient c = client(1);
    roundTrip(c, t, sink, 1);
    roundTrip(c, t, sink, 2);
  }

  @Test
  void peerWithWrongClusterIdIsRefused() throws Exception {
    start(1, new LinkedBlockingQueue<>(), Duration.ZERO);
    RawClient c = raw(1);
    c.send(Frame.Handshake.peer("other", 2));
    Frame.HandshakeRejected r = c.receive(Frame.HandshakeRejected.class);
    assertTrue(r.reason().contains("cluster id 'other'"), r.reason());
    assertTrue(c.awaitClosed(WAIT));
  }

  @Test
  void peerWithUnknownNodeIdIsRefused() throws Exception {
    start(1, new LinkedBlockingQueue<>(), Duration.ZERO);
    RawClient c = raw(1);
    c.send(Frame.Handshake.peer("test", 9));
    Frame.HandshakeRejected r = c.receive(Frame.HandshakeRejected.class);
    assertTrue(r.reason().contains("unknown node id 9"), r.reason());
    assertTrue(c.awaitClosed(WAIT));
  }

  @Test
  void firstFrameMustBeAHandshake() throws Exception {
    start(1, new LinkedBlockingQueue<>(), Duration.ZERO);
    RawClient c = raw(1);
    c.send(new Frame.LeaderQuery(1));
    assertTrue(c.receive(Frame.HandshakeRejected.class).reason().contains("Handshake"));
    assertTrue(c.awaitClosed(WAIT));
  }

  @Test
  void randomBytesCloseThatConnectionOnly() throws Exception {
    byte[] junk = new byte[200];
    new Random(42).nextBytes(junk);
    junk[0] = 0;
    junk[1] = 0;
    junk[2] = 0;
    junk[3] = (byte) 196; // a length that covers the rest: the body is random
    assertMalformedClosesOnlyThatConnection(junk);
  }

  @Test
  void oversizedLengthClosesThatConnectionOnly() throws Exception {
    assertMalformedClosesOnlyThatConnection(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0x20});
  }

  @Test
  void truncatedFrameClosesThatConnectionOnly() throws Exception {
    // A ClientRequest whose length ends after the requestId: the payload length is missing.
    assertMalformedClosesOnlyThatConnection(new byte[] {0, 0, 0, 9, 0x20, 0, 0, 0, 0, 0, 0, 0, 1});
  }

  private void assertMalformedClosesOnlyThatConnection(byte[] bad) throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    NettyTransport t = start(1, sink, Duration.ZERO);
    RawClient good = client(1);
    roundTrip(good, t, sink, 1);
    for (boolean handshakeFirst : new boolean[] {false, true}) {
      RawClient evil = handshakeFirst ? client(1) : raw(1);
      evil.sendRaw(bad);
      assertTrue(evil.awaitClosed(WAIT), "the node closes the bad connection");
    }
    roundTrip(good, t, sink, 2);
    assertTrue(sink.isEmpty(), "nothing from the bad connections reached the loop: " + sink);
    RawClient fresh = client(1);
    roundTrip(fresh, t, sink, 3);
  }

  @Test
  void overloadedNodeAnswersBusy() throws Exception {
    NettyTransport t =
        new NettyTransport(
            new TransportSettings(1, "test", members, Duration.ZERO, 1 << 20),
            in -> !(in instanceof Inbound.ClientRequest));
    transports.add(t);
    t.start();
    RawClient c = client(1);
    byte[] payload = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(Bytes.utf8("k"))));
    c.send(new Frame.ClientRequest(42, payload));
    assertEquals(new Frame.Busy(42), c.receive());
  }

  @Test
  void malformedRequestPayloadClosesTheConnection() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    start(1, sink, Duration.ZERO);
    RawClient c = client(1);
    c.send(new Frame.ClientRequest(1, new byte[] {1, 2, 3}));
    assertTrue(c.awaitClosed(WAIT));
    assertTrue(sink.isEmpty(), "" + sink);
  }

  private static byte[] putPayload(long seq) {
    return KvCodec.encode(
        new KvRequest(5, seq, new KvCommand.Put(Bytes.utf8("k" + seq), Bytes.utf8("v"))));
  }

  /**
   * A batch of fast-path updates reaches the loop as one hand-off holding each update, decoded, in
   * order; the loop's acknowledgments to that client, answered together, go back as one batch.
   */
  @Test
  void fastPathBatchesArriveTogetherAndTheirAcksLeaveTogether() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    NettyTransport t = start(1, sink, Duration.ZERO);
    RawClient c = client(1);
    List<Frame.NilextRequest> sent = new ArrayList<>();
    for (long seq = 1; seq <= 3; seq++) {
      sent.add(new Frame.NilextRequest(10 + seq, 7, putPayload(seq)));
    }
    c.send(new Frame.NilextBatch(sent));
    Inbound in = sink.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    Inbound.NilextBatch batch = assertInstanceOf(Inbound.NilextBatch.class, in);
    assertEquals(3, batch.clientRequests());
    List<Frame.NilextAck> acks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Inbound.NilextRequest r = batch.requests().get(i);
      assertEquals(10 + i + 1, r.requestId());
      assertEquals(7, r.term());
      assertEquals(KvCodec.decode(putPayload(i + 1)), r.request());
      Frame.NilextAck a = new Frame.NilextAck(r.requestId(), 1, 7, true, i != 1, 1);
      acks.add(a);
      r.from().send(a);
    }
    t.flush();
    assertEquals(new Frame.NilextAckBatch(acks), c.receive());
    // A lone acknowledgment stays a plain frame.
    batch.requests().get(0).from().send(acks.get(0));
    t.flush();
    assertEquals(acks.get(0), c.receive());
  }

  @Test
  void aBadPayloadInAFastPathBatchClosesTheConnectionAndDeliversNone() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    start(1, sink, Duration.ZERO);
    RawClient c = client(1);
    c.send(
        new Frame.NilextBatch(
            List.of(
                new Frame.NilextRequest(1, 7, putPayload(1)),
                new Frame.NilextRequest(2, 7, new byte[] {1, 2, 3}))));
    assertTrue(c.awaitClosed(WAIT));
    assertTrue(sink.isEmpty(), "" + sink);
  }

  @Test
  void anOverloadedNodeAnswersEveryUpdateOfARefusedBatchBusy() throws Exception {
    NettyTransport t =
        new NettyTransport(
            new TransportSettings(1, "test", members, Duration.ZERO, 1 << 20),
            in -> in.clientRequests() < 2);
    transports.add(t);
    t.start();
    RawClient c = client(1);
    c.send(
        new Frame.NilextBatch(
            List.of(
                new Frame.NilextRequest(41, 7, putPayload(1)),
                new Frame.NilextRequest(42, 7, putPayload(2)))));
    assertEquals(new Frame.Busy(41), c.receive());
    assertEquals(new Frame.Busy(42), c.receive());
  }

  @Test
  void acceptedPeerDeliversOnlyItsOwnMessages() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    start(1, sink, Duration.ZERO);
    RawClient peer = raw(1);
    peer.send(Frame.Handshake.peer("test", 2));
    Message ok = new Message.VoteRequest(2, 1, 5, 3, 2, false);
    peer.send(new Frame.PeerMessage(ok));
    Inbound in = sink.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(new Inbound.PeerMessage(ok), in);
    // A peer that claims to be another node is cut off.
    peer.send(new Frame.PeerMessage(new Message.VoteRequest(3, 1, 5, 3, 2, false)));
    assertTrue(peer.awaitClosed(WAIT));
    assertTrue(sink.isEmpty(), "" + sink);
  }

  @Test
  void twoTransportsExchangePeerMessages() throws Exception {
    BlockingQueue<Inbound> sink1 = new LinkedBlockingQueue<>();
    BlockingQueue<Inbound> sink2 = new LinkedBlockingQueue<>();
    NettyTransport t1 = start(1, sink1, Duration.ZERO);
    NettyTransport t2 = start(2, sink2, Duration.ZERO);
    Message ping = new Message.HeartbeatRequest(1, 2, 3, 0, 1);
    Message pong = new Message.HeartbeatResponse(2, 1, 3, 1);
    assertEquals(ping, deliver(t1, sink2, ping));
    assertEquals(pong, deliver(t2, sink1, pong));
  }

  @Test
  void reconnectsAfterThePeerRestarts() throws Exception {
    BlockingQueue<Inbound> sink1 = new LinkedBlockingQueue<>();
    BlockingQueue<Inbound> sink2 = new LinkedBlockingQueue<>();
    NettyTransport t1 = start(1, sink1, Duration.ZERO);
    NettyTransport t2 = start(2, sink2, Duration.ZERO);
    Message ping = new Message.HeartbeatRequest(1, 2, 3, 0, 1);
    assertEquals(ping, deliver(t1, sink2, ping));
    t2.close();
    assertTrue(RawClient.await(WAIT, () -> !t1.isConnected(2)), "the link noticed the close");
    BlockingQueue<Inbound> sink2b = new LinkedBlockingQueue<>();
    start(2, sink2b, Duration.ZERO);
    Message again = new Message.HeartbeatRequest(1, 2, 4, 0, 2);
    assertEquals(again, deliver(t1, sink2b, again));
  }

  @Test
  void linkDelayHoldsBackOutgoingFrames() throws Exception {
    BlockingQueue<Inbound> sink = new LinkedBlockingQueue<>();
    NettyTransport t = start(1, sink, Duration.ofMillis(200));
    RawClient c = client(1);
    long start = System.nanoTime();
    roundTrip(c, t, sink, 1);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMillis >= 200, "answered after " + elapsedMillis + " ms");
  }

  /**
   * Sends {@code m} through {@code from} until it arrives at {@code sink} (messages to a peer not
   * yet connected are dropped, as in Raft); returns what arrived.
   */
  private static Message deliver(NettyTransport from, BlockingQueue<Inbound> sink, Message m)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      from.send(m);
      from.flush();
      Inbound in = sink.poll(50, TimeUnit.MILLISECONDS);
      if (in != null) {
        return assertInstanceOf(Inbound.PeerMessage.class, in).message();
      }
    }
    throw new AssertionError("message not delivered within " + WAIT + ": " + m);
  }
}
