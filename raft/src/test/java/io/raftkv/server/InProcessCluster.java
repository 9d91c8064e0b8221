package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Role;
import io.raftkv.storage.Durability;
import io.raftkv.transport.netty.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster of {@link RaftServer}s in this JVM on 127.0.0.1, one variant and durability for all,
 * for the server tests. Nodes can be stopped and restarted on their data; {@link #close()} stops
 * every running node. Every wait is bounded.
 */
final class InProcessCluster implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final String variant;
  private final Map<String, String> settings;
  private final Durability durability;
  private final Path dir;
  private final Map<Integer, InetSocketAddress> members = new TreeMap<>();
  private final Map<Integer, RaftServer> servers = new TreeMap<>();

  /**
   * Starts {@code size} nodes.
   *
   * @param dir the parent of the nodes' data directories; unused (may be null) for memory
   */
  InProcessCluster(
      int size, String variant, Map<String, String> settings, Durability durability, Path dir)
      throws IOException {
    this.variant = variant;
    this.settings = Map.copyOf(settings);
    this.durability = durability;
    this.dir = dir;
    for (int id = 1; id <= size; id++) {
      members.put(id, RawClient.freeLoopbackAddress());
    }
    for (int id = 1; id <= size; id++) {
      start(id);
    }
  }

  /** Starts (or restarts, on its data) node {@code id}. */
  RaftServer start(int id) throws IOException {
    ServerConfig config = ServerConfig.memory(id, members).withVariant(variant, settings);
    if (durability != Durability.MEMORY) {
      config = config.withStorage(durability, dir.resolve("node" + id));
    }
    RaftServer s = RaftServer.start(config);
    servers.put(id, s);
    return s;
  }

  /** Stops node {@code id} gracefully. */
  void stop(int id) {
    RaftServer s = servers.remove(id);
    if (s != null) {
      s.close();
    }
  }

  RaftServer server(int id) {
    return servers.get(id);
  }

  /** The running nodes. */
  Map<Integer, RaftServer> servers() {
    return servers;
  }

  Map<Integer, InetSocketAddress> members() {
    return members;
  }

  /** Node id to {@code host:port}, as {@code ClientOptions.of} takes it. */
  Map<Integer, String> clientAddresses() {
    Map<Integer, String> out = new TreeMap<>();
    members.forEach((id, a) -> out.put(id, a.getHostString() + ":" + a.getPort()));
    return out;
  }

  /**
   * Waits until exactly one running node leads, has applied its term's no-op, and every running
   * node knows it; returns its id.
   */
  int awaitLeader() throws InterruptedException {
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
        () -> "a leader is elected and known: " + statuses());
    return leader[0];
  }

  String statuses() {
    return servers.values().stream().map(s -> String.valueOf(s.status())).toList().toString();
  }

  @Override
  public void close() {
    for (RaftServer s : servers.values()) {
      s.close();
    }
    servers.clear();
  }
}
