package io.raftkv.transport.netty;

import io.raftkv.wire.WireCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How one node's transport is set up.
 *
 * @param selfId this node's id, a key of {@code members}
 * @param clusterId the cluster's name, sent and checked in every peer handshake
 * @param members every node's address (peers and clients use the same port), this node included;
 *     this node listens on its own address and binds its outgoing peer connections to its host
 * @param linkDelay an emulated one-way delay added to every outgoing frame; zero for none
 * @param maxFrameBytes the largest frame accepted or sent
 */
public record TransportSettings(
    int selfId,
    String clusterId,
    Map<Integer, InetSocketAddress> members,
    Duration linkDelay,
    int maxFrameBytes) {

  public TransportSettings {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(linkDelay, "linkDelay");
    members = java.util.Collections.unmodifiableMap(new TreeMap<>(members));
    if (!members.containsKey(selfId)) {
      throw new IllegalArgumentException("node " + selfId + " is not a member: " + members);
    }
    if (clusterId.isEmpty()) {
      throw new IllegalArgumentException("the cluster id must not be empty");
    }
    if (linkDelay.isNegative()) {
      throw new IllegalArgumentException("the link delay must not be negative: " + linkDelay);
    }
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1: " + maxFrameBytes);
    }
  }

  /** Settings with no link delay and the default frame limit. */
  public static TransportSettings of(
      int selfId, String clusterId, Map<Integer, InetSocketAddress> members) {
    return new TransportSettings(
        selfId, clusterId, members, Duration.ZERO, WireCodec.DEFAULT_MAX_FRAME_BYTES);
  }

  /** This node's own address. */
  public InetSocketAddress selfAddress() {
    return members.get(selfId);
  }
}
