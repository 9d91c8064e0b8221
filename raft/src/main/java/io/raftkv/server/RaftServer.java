package io.raftkv.server;

import io.raftkv.core.RaftConfig;
import io.raftkv.storage.DurabilityLogStore;
import io.raftkv.storage.LogStore;
import io.raftkv.transport.netty.NettyTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * One running node: its log store, its {@link NodeLoop} and its {@link NettyTransport}, started
 * together and stopped together. In-process use (tests, benchmarks):
 *
 * <pre>{@code
 * try (RaftServer node = RaftServer.start(ServerConfig.memory(1, members))) {
 *   ... node.status() ...
 * }
 * }</pre>
 *
 * <p>Threading contract: {@link #start} and {@link #close} are called by the owner; {@link #close}
 * is idempotent and may race with itself (a shutdown hook and the main thread).
 */
public final class RaftServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RaftServer.class.getName());

  private final ServerConfig config;
  private final LogStore store;
  private final DurabilityLogStore durabilityStore;
  private final NodeLoop loop;
  private final NettyTransport transport;
  private boolean closed;

  private RaftServer(
      ServerConfig config,
      LogStore store,
      DurabilityLogStore durabilityStore,
      NodeLoop loop,
      NettyTransport transport) {
    this.config = config;
    this.store = store;
    this.durabilityStore = durabilityStore;
    this.loop = loop;
    this.transport = transport;
  }

  /**
   * Opens the store, rebuilds the node from it, listens and starts the loop.
   *
   * @throws io.raftkv.storage.DataDirectoryLockedException if another process holds the data dir
   * @throws IOException if the store cannot be opened or the port cannot be bound
   * @throws IllegalArgumentException for an unknown variant
   */
  public static RaftServer start(ServerConfig config) throws IOException {
    RaftConfig raftConfig = config.raftConfig();
    LogStore store = LogStore.open(config.dataDir(), config.durability());
    DurabilityLogStore durabilityStore = null;
    try {
      if (raftConfig.nilextFastPath()) {
        durabilityStore = DurabilityLogStore.open(config.dataDir(), config.durability());
      }
      NodeLoop loop = new NodeLoop(config, raftConfig, store, durabilityStore);
      NettyTransport transport = new NettyTransport(config.transportSettings(), loop.inbox());
      transport.start();
      loop.start(transport);
      LOG.log(
          Level.INFO,
          "node {0}: started ({1} {2}, {3}, cluster {4})",
          config.id(),
          config.variant(),
          raftConfig.flagsDescription(),
          config.durability().flagName(),
          config.members());
      return new RaftServer(config, store, durabilityStore, loop, transport);
    } catch (IOException | RuntimeException e) {
      if (durabilityStore != null) {
        durabilityStore.close();
      }
      store.close();
      throw e;
    }
  }

  public ServerConfig config() {
    return config;
  }

  /** The latest status snapshot of the node. */
  public NodeStatus status() {
    return loop.status();
  }

  public NodeLoop loop() {
    return loop;
  }

  public NettyTransport transport() {
    return transport;
  }

  /**
   * Stops gracefully: stop accepting and close every connection, stop the loop, close the store.
   * Every wait is bounded.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    transport.close();
    loop.close();
    try {
      if (durabilityStore != null) {
        durabilityStore.close();
      }
      store.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "node " + config.id() + ": closing the store failed", e);
    }
    LOG.log(Level.INFO, "node {0}: stopped", config.id());
  }
}
