package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.storage.Durability;
import io.raftkv.transport.netty.RawClient;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node loop under the {@code optimized} flags, on a 3-node in-process cluster: group commit
 * (fewer fsyncs than entries under concurrent writers), lease reads answered outside the log, and a
 * follower refusing reads.
 */
class OptimizedServerTest {
  private static final Duration WAIT = InProcessCluster.WAIT;

  private final List<RawClient> clients = new ArrayList<>();
  private InProcessCluster cluster;
  private long requestId;

  @AfterEach
  void shutDown() throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private Map<Integer, InetSocketAddress> startCluster(
      String variant, Map<String, String> settings, Durability durability, Path dir)
      throws IOException {
    cluster = new InProcessCluster(3, variant, settings, durability, dir);
    return cluster.members();
  }

  private int awaitLeader() throws InterruptedException {
    return cluster.awaitLeader();
  }

  private RawClient client(InetSocketAddress address) throws IOException {
    RawClient c = RawClient.client(address);
    clients.add(c);
    return c;
  }

  private void send(RawClient c, long clientId, long seq, KvCommand command) throws IOException {
    requestId++;
    c.send(
        new Frame.ClientRequest(requestId, KvCodec.encode(new KvRequest(clientId, seq, command))));
  }

  private static KvReply reply(RawClient c) throws IOException {
    Frame.ClientReply r = assertInstanceOf(Frame.ClientReply.class, c.receive());
    return KvCodec.decodeReply(r.payload());
  }

  @Test
  void concurrentWritersShareFsyncsAndReadsUseTheLease(@TempDir Path dir) throws Exception {
    Map<Integer, InetSocketAddress> members =
        startCluster("optimized", Map.of(), Durability.FSYNC, dir);
    int leader = awaitLeader();
    int writers = 32;
    List<RawClient> cs = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      cs.add(client(members.get(leader)));
    }
    NodeStatus before = cluster.server(leader).status();
    for (int round = 1; round <= 5; round++) {
      for (int i = 0; i < writers; i++) {
        send(cs.get(i), 1000 + i, round, new KvCommand.Put(Bytes.utf8("k" + i), Bytes.utf8("v")));
      }
      for (RawClient c : cs) {
        assertEquals(new KvReply.Ack(), reply(c));
      }
    }
    NodeStatus after = cluster.server(leader).status();
    long entries = after.commitIndex() - before.commitIndex();
    long fsyncs = after.fsyncs() - before.fsyncs();
    assertTrue(entries >= 5L * writers, "entries committed: " + entries);
    assertTrue(fsyncs < entries, "group commit: " + fsyncs + " fsyncs for " + entries + " entries");

    long applied = after.appliedIndex();
    send(cs.get(0), 1000, 6, new KvCommand.Get(Bytes.utf8("k7")));
    assertEquals(new KvReply.Value(Bytes.utf8("v")), reply(cs.get(0)));
    // The status snapshot is published at the end of the loop iteration that answered.
    RaftServer l = cluster.server(leader);
    assertTrue(
        RawClient.await(WAIT, () -> l.status().leaseReads() + l.status().readIndexReads() == 1),
        "read outside the log: " + l.status());
    assertEquals(applied, l.status().appliedIndex(), "the read was logged");
  }

  @Test
  void readIndexServesReadsWhenLeasesAreOff() throws Exception {
    Map<Integer, InetSocketAddress> members =
        startCluster("optimized", Map.of("leaseReads", "false"), Durability.MEMORY, null);
    int leader = awaitLeader();
    RawClient c = client(members.get(leader));
    send(c, 5, 1, new KvCommand.Put(Bytes.utf8("a"), Bytes.utf8("1")));
    assertEquals(new KvReply.Ack(), reply(c));
    send(c, 5, 2, new KvCommand.Get(Bytes.utf8("a")));
    // With leaseReads off the read goes through the log (vanilla's read path).
    assertEquals(new KvReply.Value(Bytes.utf8("1")), reply(c));
    assertEquals(0, cluster.server(leader).status().leaseReads());
  }

  @Test
  void aFollowerRefusesLeaseReads() throws Exception {
    Map<Integer, InetSocketAddress> members =
        startCluster("optimized", Map.of(), Durability.MEMORY, null);
    int leader = awaitLeader();
    int follower = leader == 1 ? 2 : 1;
    RawClient c = client(members.get(follower));
    send(c, 9, 1, new KvCommand.Get(Bytes.utf8("a")));
    Frame.NotLeader nl = assertInstanceOf(Frame.NotLeader.class, c.receive());
    assertEquals(leader, nl.leaderId());
  }
}
