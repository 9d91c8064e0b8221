package io.raftkv.bench;

import io.raftkv.core.Role;
import io.raftkv.server.FreePorts;
import io.raftkv.server.NodeStatus;
import io.raftkv.server.RaftServer;
import io.raftkv.server.ServerConfig;
import io.raftkv.storage.Durability;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Three {@link RaftServer}s in this JVM on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (free ports), talking
 * over real loopback TCP through Netty, each with a data directory of its own that is deleted on
 * {@link #close} (none with {@link Durability#MEMORY}).
 */
final class LoopbackCluster implements AutoCloseable {
  static final int SIZE = 3;

  private final Map<Integer, InetSocketAddress> members;
  private final List<RaftServer> servers = new ArrayList<>();
  private final List<TempDirectory> dataDirs = new ArrayList<>();

  private LoopbackCluster(Map<Integer, InetSocketAddress> members) {
    this.members = members;
  }

  /**
   * Starts the three nodes of {@code variant} with {@code durability}; returns before a leader is
   * elected ({@link #awaitLeader}).
   */
  static LoopbackCluster start(String variant, Durability durability) throws IOException {
    Map<Integer, InetSocketAddress> members = new TreeMap<>();
    for (int id = 1; id <= SIZE; id++) {
      members.put(id, freeAddress(InetAddress.getByName("127.0.0." + id)));
    }
    LoopbackCluster cluster = new LoopbackCluster(members);
    try {
      for (int id = 1; id <= SIZE; id++) {
        ServerConfig config = ServerConfig.memory(id, members).withVariant(variant, Map.of());
        if (durability != Durability.MEMORY) {
          TempDirectory dir = TempDirectory.create("raftkv-bench-node" + id + "-");
          cluster.dataDirs.add(dir);
          config = config.withStorage(durability, dir.path());
        }
        cluster.servers.add(RaftServer.start(config));
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** A port nobody listens on at {@code host} right now. */
  private static InetSocketAddress freeAddress(InetAddress host) throws IOException {
    return new InetSocketAddress(host, FreePorts.pick(host));
  }

  /** Node id to client address {@code host:port}, as {@code ClientOptions.of} takes it. */
  Map<Integer, String> clientAddresses() {
    Map<Integer, String> out = new TreeMap<>();
    members.forEach((id, a) -> out.put(id, a.getHostString() + ":" + a.getPort()));
    return out;
  }

  /**
   * Waits until exactly one node leads and every node knows it in the same term; returns its id.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  int awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<NodeStatus> status = servers.stream().map(RaftServer::status).toList();
      List<NodeStatus> leaders = status.stream().filter(s -> s.role() == Role.LEADER).toList();
      if (leaders.size() == 1) {
        NodeStatus leader = leaders.get(0);
        if (status.stream()
            .allMatch(s -> s.leaderId() == leader.id() && s.term() == leader.term())) {
          return leader.id();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no leader within " + timeout + ": " + status);
      }
      Thread.sleep(10);
    }
  }

  /** Stops every node, then deletes the data directories. */
  @Override
  public void close() throws IOException {
    for (RaftServer s : servers) {
      s.close();
    }
    for (TempDirectory d : dataDirs) {
      d.close();
    }
  }
}
