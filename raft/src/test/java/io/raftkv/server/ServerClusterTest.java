package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/** A 3-node cluster of {@link RaftServer}s in this JVM on 127.0.0.1, driven by a raw client. */
class ServerClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Map<Integer, RaftServer> servers = new TreeMap<>();
  private final List<RawClient> clients = new ArrayList<>();
  private Map<Integer, InetSocketAddress> members;
  private long clientId = 77;
  private long seq;
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

  private void startCluster(Durability durability, Path dir) throws IOException {
    members = new TreeMap<>();
    for (int id = 1; id <= 3; id++) {
      members.put(id, RawClient.freeLoopbackAddress());
    }
    for (int id = 1; id <= 3; id++) {
      start(id, durability, dir);
    }
  }

  private void start(int id, Durability durability, Path dir) throws IOException {
    ServerConfig config = ServerConfig.memory(id, members);
    if (durability != Durability.MEMORY) {
      config = config.withStorage(durability, dir.resolve("node" + id));
    }
    servers.put(id, RaftServer.start(config));
  }

  /** Waits until one node leads and every running node knows it; returns its id. */
  private int awaitLeader() throws InterruptedException {
    int[] leader = new int[1];
    assertTrue(
        RawClient.await(
            WAIT,
            () -> {
              List<NodeStatus> st = servers.values().stream().map(RaftServer::status).toList();
              long leaders = st.stream().filter(s -> s.role() == Role.LEADER).count();
              if (leaders != 1) {
                return false;
              }
              NodeStatus l = st.stream().filter(s -> s.role() == Role.LEADER).findFirst().get();
              leader[0] = l.id();
              return st.stream().allMatch(s -> s.leaderId() == l.id() && s.term() == l.term());
            }),
        "a leader is elected and known: " + statuses());
    return leader[0];
  }

  private String statuses() {
    return servers.values().stream().map(s -> String.valueOf(s.status())).toList().toString();
  }

  private RawClient client(int node) throws IOException {
    RawClient c = RawClient.client(members.get(node));
    clients.add(c);
    return c;
  }

  private Frame request(RawClient c, KvCommand command) throws IOException {
    seq++;
    requestId++;
    c.send(
        new Frame.ClientRequest(requestId, KvCodec.encode(new KvRequest(clientId, seq, command))));
    return c.receive();
  }

  private KvReply execute(RawClient c, KvCommand command) throws IOException {
    long id = requestId + 1;
    Frame.ClientReply reply = assertInstanceOf(Frame.ClientReply.class, request(c, command));
    assertEquals(id, reply.requestId());
    return KvCodec.decodeReply(reply.payload());
  }

  @Test
  void electsALeaderAndServesPutAndGet() throws Exception {
    startCluster(Durability.MEMORY, null);
    int leader = awaitLeader();
    RawClient c = client(leader);
    assertEquals(
        new KvReply.Ack(), execute(c, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v"))));
    assertEquals(
        new KvReply.Value(Bytes.utf8("v")), execute(c, new KvCommand.Get(Bytes.utf8("k"))));
    assertEquals(new KvReply.Value(null), execute(c, new KvCommand.Get(Bytes.utf8("missing"))));
  }

  @Test
  void retriedRequestIsAnsweredFromTheSession() throws Exception {
    startCluster(Durability.MEMORY, null);
    RawClient c = client(awaitLeader());
    assertEquals(
        new KvReply.Ack(), execute(c, new KvCommand.Put(Bytes.utf8("a"), Bytes.utf8("1"))));
    // The same (clientId, seq) again: applied once, answered again.
    seq--;
    assertEquals(
        new KvReply.Ack(), execute(c, new KvCommand.Put(Bytes.utf8("a"), Bytes.utf8("2"))));
    assertEquals(
        new KvReply.Value(Bytes.utf8("1")), execute(c, new KvCommand.Get(Bytes.utf8("a"))));
  }

  @Test
  void aNewLeaderTakesOverWhenTheLeaderStops() throws Exception {
    startCluster(Durability.MEMORY, null);
    int first = awaitLeader();
    RawClient c = client(first);
    assertEquals(
        new KvReply.Ack(), execute(c, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("1"))));
    long oldTerm = servers.get(first).status().term();
    servers.remove(first).close();
    int second = awaitLeader();
    assertNotEquals(first, second);
    assertTrue(servers.get(second).status().term() > oldTerm);
    RawClient c2 = client(second);
    assertEquals(
        new KvReply.Value(Bytes.utf8("1")), execute(c2, new KvCommand.Get(Bytes.utf8("k"))));
    assertEquals(
        new KvReply.Ack(), execute(c2, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("2"))));
    assertEquals(
        new KvReply.Value(Bytes.utf8("2")), execute(c2, new KvCommand.Get(Bytes.utf8("k"))));
  }

  @Test
  void followerAnswersNotLeaderWithTheLeadersAddress() throws Exception {
    startCluster(Durability.MEMORY, null);
    int leader = awaitLeader();
    int follower = leader == 1 ? 2 : 1;
    RawClient c = client(follower);
    Frame answer = request(c, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v")));
    Frame.NotLeader nl = assertInstanceOf(Frame.NotLeader.class, answer);
    assertEquals(requestId, nl.requestId());
    assertEquals(leader, nl.leaderId());
    InetSocketAddress a = members.get(leader);
    assertEquals(a.getHostString() + ":" + a.getPort(), nl.leaderAddress());
  }

  @Test
  void everyNodeAnswersLeaderAndStatusQueries() throws Exception {
    startCluster(Durability.MEMORY, null);
    int leader = awaitLeader();
    for (int id : members.keySet()) {
      RawClient c = client(id);
      c.send(new Frame.LeaderQuery(10 + id));
      Frame.LeaderInfo info = c.receive(Frame.LeaderInfo.class);
      assertEquals(10 + id, info.requestId());
      assertEquals(leader, info.leaderId());
      assertEquals(servers.get(id).config().address(leader), info.leaderAddress());
      assertTrue(info.term() >= 1);

      c.send(new Frame.StatusQuery(20 + id));
      Frame.StatusInfo status = c.receive(Frame.StatusInfo.class);
      assertEquals(20 + id, status.requestId());
      assertEquals(
          List.of(
              "id",
              "role",
              "term",
              "leader",
              "commitIndex",
              "appliedIndex",
              "lastIndex",
              "variant",
              "flags",
              "durability",
              "fsyncs",
              "leaseReads",
              "readIndexReads",
              "fastPathAccepted",
              "durabilityLog",
              "durabilityFsyncs",
              "jitMillis",
              "cpuMillis",
              "gcMillis"),
          List.copyOf(status.fields().keySet()));
      assertEquals(Integer.toString(id), status.fields().get("id"));
      assertEquals(id == leader ? "LEADER" : "FOLLOWER", status.fields().get("role"));
      assertEquals(Integer.toString(leader), status.fields().get("leader"));
      assertEquals("vanilla", status.fields().get("variant"));
      assertEquals("memory", status.fields().get("durability"));
      assertEquals("0", status.fields().get("fsyncs"));
      // HotSpot reports compile time, and this JVM has compiled code by now.
      assertTrue(Long.parseLong(status.fields().get("jitMillis")) > 0, status.fields().toString());
      // This JVM has used CPU time (it started a cluster), and it never exceeds the wall time of
      // two cores since the JVM started by much: a reading in nanoseconds would.
      assertTrue(Long.parseLong(status.fields().get("gcMillis")) >= 0, status.fields().toString());
      long cpu = Long.parseLong(status.fields().get("cpuMillis"));
      long upMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      assertTrue(
          cpu > 0 && cpu <= upMillis * Runtime.getRuntime().availableProcessors() + 1000,
          cpu + " ms of CPU in " + upMillis + " ms");
    }
  }

  @Test
  void fsyncClusterPersistsAndARestartedNodeCatchesUp(@TempDir Path dir) throws Exception {
    startCluster(Durability.FSYNC, dir);
    int leader = awaitLeader();
    RawClient c = client(leader);
    for (int i = 0; i < 5; i++) {
      assertEquals(
          new KvReply.Ack(),
          execute(c, new KvCommand.Put(Bytes.utf8("k" + i), Bytes.utf8("v" + i))));
    }
    NodeStatus ls = servers.get(leader).status();
    assertTrue(ls.fsyncs() >= 5, "one fsync per entry at least: " + ls);

    int follower = leader == 3 ? 2 : 3;
    long lastIndex = ls.lastIndex();
    assertTrue(
        RawClient.await(WAIT, () -> servers.get(follower).status().lastIndex() >= lastIndex));
    servers.remove(follower).close();
    assertEquals(
        new KvReply.Ack(), execute(c, new KvCommand.Put(Bytes.utf8("late"), Bytes.utf8("x"))));

    start(follower, Durability.FSYNC, dir);
    NodeStatus restarted = servers.get(follower).status();
    assertTrue(restarted.lastIndex() >= lastIndex, "the log came back from disk: " + restarted);
    assertNotEquals(0, restarted.term());
    long target = servers.get(leader).status().commitIndex();
    assertTrue(
        RawClient.await(WAIT, () -> servers.get(follower).status().appliedIndex() >= target),
        "the restarted node applies everything committed: " + statuses());
  }
}
