package io.raftkv.server;

import io.raftkv.core.RaftConfig;
import io.raftkv.storage.Durability;
import io.raftkv.transport.netty.TransportSettings;
import io.raftkv.wire.WireCodec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything one node needs to start.
 *
 * @param id this node's id, a key of {@code members}
 * @param members every node's address, by id (one port per node, for peers and clients)
 * @param dataDir the data directory; may be null with {@link Durability#MEMORY}
 * @param variant the Raft variant, a name {@code RaftConfig.preset} knows
 * @param durability how the log store makes writes durable
 * @param clusterId the cluster's name, checked in every peer handshake
 * @param linkDelay emulated one-way delay on every outgoing frame; zero for none
 * @param maxPendingClientRequests client requests queued for the node loop beyond which a client is
 *     answered {@code Busy}
 * @param settings {@code --set} overrides of the variant's settings, applied in order ({@link
 *     RaftConfig#withSetting})
 */
public record ServerConfig(
    int id,
    Map<Integer, InetSocketAddress> members,
    Path dataDir,
    String variant,
    Durability durability,
    String clusterId,
    Duration linkDelay,
    int maxPendingClientRequests,
    Map<String, String> settings) {

  public static final String DEFAULT_CLUSTER_ID = "raftkv";
  public static final int DEFAULT_MAX_PENDING_CLIENT_REQUESTS = 10_000;

  public ServerConfig {
    members = Collections.unmodifiableMap(new TreeMap<>(members));
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(linkDelay, "linkDelay");
    if (!members.containsKey(id)) {
      throw new IllegalArgumentException("node " + id + " is not in the cluster " + members);
    }
    if (dataDir == null && durability != Durability.MEMORY) {
      throw new IllegalArgumentException(
          "durability " + durability.flagName() + " needs a data directory");
    }
    if (maxPendingClientRequests < 1) {
      throw new IllegalArgumentException("maxPendingClientRequests must be at least 1");
    }
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    raftConfig(variant, settings);
  }

  /** The Raft settings of this node: the variant's preset with {@code settings} applied. */
  public RaftConfig raftConfig() {
    return raftConfig(variant, settings);
  }

  private static RaftConfig raftConfig(String variant, Map<String, String> settings) {
    return RaftConfig.of(variant, settings);
  }

  /** A vanilla, in-memory node with default settings: handy for tests. */
  public static ServerConfig memory(int id, Map<Integer, InetSocketAddress> members) {
    return new ServerConfig(
        id,
        members,
        null,
        "vanilla",
        Durability.MEMORY,
        DEFAULT_CLUSTER_ID,
        Duration.ZERO,
        DEFAULT_MAX_PENDING_CLIENT_REQUESTS,
        Map.of());
  }

  /** The same configuration with another durability mode and data directory. */
  public ServerConfig withStorage(Durability durability, Path dataDir) {
    return new ServerConfig(
        id,
        members,
        dataDir,
        variant,
        durability,
        clusterId,
        linkDelay,
        maxPendingClientRequests,
        settings);
  }

  /** The same configuration with another variant and settings. */
  public ServerConfig withVariant(String variant, Map<String, String> settings) {
    return new ServerConfig(
        id,
        members,
        dataDir,
        variant,
        durability,
        clusterId,
        linkDelay,
        maxPendingClientRequests,
        settings);
  }

  /** The transport settings of this node. */
  public TransportSettings transportSettings() {
    return new TransportSettings(
        id, clusterId, members, linkDelay, WireCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /** The client address of node {@code nodeId} as {@code host:port}, or "" if unknown. */
  public String address(int nodeId) {
    InetSocketAddress a = members.get(nodeId);
    return a == null ? "" : a.getHostString() + ":" + a.getPort();
  }
}
