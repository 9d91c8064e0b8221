package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Role;
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
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node loop under the {@code optimized} flags, on a 3-node in-process cluster: group commit
 * (fewer fsyncs than entries under concurrent writers), lease reads answered outside the log, and a
 * follower refusing reads.
 */
class OptimizedServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Map<Integer, RaftServer> servers = new TreeMap<>();
  private final List<RawClient> clients = new ArrayList<>();
  private long requestId;

  @AfterEach
  void shutDown() throws IOException {
    for (RawClient c : clients) {
      c.close();
    }
    for (RaftServer s : servers.values()) {
      s.close();
    }
  }

  private Map<Integer, InetSocketAddress> startCluster(
      String variant, Map<String, String> settings, Durability durability, Path dir)
      throws IOException {
    Map<Integer, InetSocketAddress> members = new TreeMap<>();
    for (int id = 1; id <= 3; id++) {
      members.put(id, RawClient.freeLoopbackAddress());
    }
    for (int id = 1; id <= 3; id++) {
      ServerConfig config = ServerConfig.memory(id, members).withVariant(variant, settings);
      if (durability != Durability.MEMORY) {
        config = config.withStorage(durability, dir.resolve("node" + id));
      }
      servers.put(id, RaftServer.start(config));
    }
    return members;
  }

  private int awaitLeader() throws InterruptedException {
    int[] leader = new int[1];
    assertTrue(
        RawClient.await(
            WAIT,
            () -> {
              List<NodeStatus> st = servers.values().stream().map(RaftServer::status).toList();
              List<NodeStatus> leaders = st.stream().filter(s -> s.role() == Role.LEADER).toList();
              if (leaders.size() != 1 || leaders.get(0).appliedIndex() < 1) {
                return false;
              }
              leader[0] = leaders.get(0).id();
              return st.stream().allMatch(s -> s.leaderId() == leader[0]);
            }),
        "a leader is elected and has applied its no-op");
    return leader[0];
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
    NodeStatus before = servers.get(leader).status();
    for (int round = 1; round <= 5; round++) {
      for (int i = 0; i < writers; i++) {
        send(cs.get(i), 1000 + i, round, new KvCommand.Put(Bytes.utf8("k" + i), Bytes.utf8("v")));
      }
      for (RawClient c : cs) {
        assertEquals(new KvReply.Ack(), reply(c));
      }
    }
    NodeStatus after = servers.get(leader).status();
    long entries = after.commitIndex() - before.commitIndex();
    long fsyncs = after.fsyncs() - before.fsyncs();
    assertTrue(entries >= 5L * writers, "entries committed: " + entries);
    assertTrue(fsyncs < entries, "group commit: " + fsyncs + " fsyncs for " + entries + " entries");

    long applied = after.appliedIndex();
    send(cs.get(0), 1000, 6, new KvCommand.Get(Bytes.utf8("k7")));
    assertEquals(new KvReply.Value(Bytes.utf8("v")), reply(cs.get(0)));
    // The status snapshot is published at the end of the loop iteration that answered.
    RaftServer l = servers.get(leader);
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
    assertEquals(0, servers.get(leader).status().leaseReads());
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
