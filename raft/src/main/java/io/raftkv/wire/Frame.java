package io.raftkv.wire;

import io.raftkv.core.Message;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One unit on the wire: what a connection carries after its length prefix and type byte (see {@code
 * docs/wire-format.md}). A connection begins with a {@link Handshake}; a peer connection then
 * carries {@link PeerMessage}s, a client connection carries requests ({@link ClientRequest}, {@link
 * LeaderQuery}, {@link StatusQuery}) one way and their answers the other, matched by {@code
 * requestId}.
 *
 * <p>Records validate what the format cannot express (a version outside 1..65535, a client
 * handshake with a node id), so every frame that can be built can be encoded and decodes back to an
 * equal frame.
 */
public sealed interface Frame
    permits Frame.Handshake,
        Frame.HandshakeRejected,
        Frame.PeerMessage,
        Frame.ClientRequest,
        Frame.ClientReply,
        Frame.NotLeader,
        Frame.Busy,
        Frame.LeaderQuery,
        Frame.LeaderInfo,
        Frame.StatusQuery,
        Frame.StatusInfo,
        Frame.NilextRequest,
        Frame.NilextAck,
        Frame.NilextBatch,
        Frame.NilextAckBatch {

  /** The node id that means "no leader known", as in {@code RaftNode.leaderId()}. */
  int NO_LEADER = 0;

  /**
   * The first frame on every connection, sent by the side that connected.
   *
   * @param kind whether the connecting side is a peer node or a client
   * @param version the protocol version the sender speaks, 1..65535
   * @param clusterId for a peer, the cluster it belongs to (non-empty); empty for a client
   * @param nodeId for a peer, its node id; 0 for a client
   */
  record Handshake(Kind kind, int version, String clusterId, int nodeId) implements Frame {
    /** Who is connecting. */
    public enum Kind {
      /** Another node of the cluster; it will send {@link PeerMessage}s. */
      PEER,
      /** A client; it will send requests and receive their answers. */
      CLIENT
    }

    public Handshake {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(clusterId, "clusterId");
      if (version < 1 || version > 0xffff) {
        throw new IllegalArgumentException("version must be in 1..65535, got " + version);
      }
      if (kind == Kind.PEER && clusterId.isEmpty()) {
        throw new IllegalArgumentException("a peer handshake needs a cluster id");
      }
      if (kind == Kind.CLIENT && (!clusterId.isEmpty() || nodeId != 0)) {
        throw new IllegalArgumentException("a client handshake has no cluster id and node id 0");
      }
    }

    /** A peer's handshake in the current protocol version. */
    public static Handshake peer(String clusterId, int nodeId) {
      return new Handshake(Kind.PEER, WireCodec.PROTOCOL_VERSION, clusterId, nodeId);
    }

    /** A client's handshake in the current protocol version. */
    public static Handshake client() {
      return new Handshake(Kind.CLIENT, WireCodec.PROTOCOL_VERSION, "", 0);
    }
  }

  /**
   * The answer to a refused {@link Handshake} (wrong magic or version, unknown cluster or node id),
   * sent just before the receiver closes the connection.
   */
  record HandshakeRejected(String reason) implements Frame {
    public HandshakeRejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A Raft message between two nodes of one cluster. */
  record PeerMessage(Message message) implements Frame {
    public PeerMessage {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A client request.
   *
   * @param requestId chosen by the client to match the answer; not interpreted by the node
   * @param payload {@code KvCodec.encode(KvRequest)}; opaque here, decoded by the server
   */
  // The array is never mutated once the frame exists; equals and hashCode compare content.
  @SuppressWarnings("ArrayRecordComponent")
  record ClientRequest(long requestId, byte[] payload) implements Frame {
    public ClientRequest {
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClientRequest r
          && r.requestId == requestId
          && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "ClientRequest[" + requestId + ", " + payload.length + "B]";
    }
  }

  /**
   * The leader's answer to a {@link ClientRequest}.
   *
   * @param payload {@code KvCodec.encodeReply(KvReply)}
   */
  // The array is never mutated once the frame exists; equals and hashCode compare content.
  @SuppressWarnings("ArrayRecordComponent")
  record ClientReply(long requestId, byte[] payload) implements Frame {
    public ClientReply {
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ClientReply r
          && r.requestId == requestId
          && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(requestId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "ClientReply[" + requestId + ", " + payload.length + "B]";
    }
  }

  /**
   * The answer of a node that is not the leader: the request was not executed.
   *
   * @param leaderId the leader this node knows of, or {@link #NO_LEADER}
   * @param leaderAddress its client address ({@code host:port}), or {@code ""} if unknown
   */
  record NotLeader(long requestId, int leaderId, String leaderAddress) implements Frame {
    public NotLeader {
      Objects.requireNonNull(leaderAddress, "leaderAddress");
    }
  }

  /** The leader is overloaded and did not accept the request; the client may retry later. */
  record Busy(long requestId) implements Frame {}

  /** Asks a node which node it believes leads (the command line's {@code leader}). */
  record LeaderQuery(long requestId) implements Frame {}

  /**
   * The answer to a {@link LeaderQuery}.
   *
   * @param leaderId the leader the answering node knows of, or {@link #NO_LEADER}
   * @param leaderAddress its client address, or {@code ""} if unknown
   * @param term the answering node's current term
   */
  record LeaderInfo(long requestId, int leaderId, String leaderAddress, long term)
      implements Frame {
    public LeaderInfo {
      Objects.requireNonNull(leaderAddress, "leaderAddress");
    }
  }

  /**
   * Fast path (Skyros): a nil-externalizing update (put, delete, multiPut) sent by a client to
   * every replica, tagged with the term the client believes current.
   *
   * @param term the client's belief of the current term (0 if it knows none: always refused)
   * @param payload {@code KvCodec.encode(KvRequest)} of a nilext command
   */
  // The array is never mutated once the frame exists; equals and hashCode compare content.
  @SuppressWarnings("ArrayRecordComponent")
  record NilextRequest(long requestId, long term, byte[] payload) implements Frame {
    public NilextRequest {
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NilextRequest r
          && r.requestId == requestId
          && r.term == term
          && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
      return (Long.hashCode(requestId) * 31 + Long.hashCode(term)) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
      return "NilextRequest[" + requestId + ", term " + term + ", " + payload.length + "B]";
    }
  }

  /**
   * A replica's answer to a {@link NilextRequest}.
   *
   * @param nodeId the answering replica
   * @param term the replica's current term
   * @param leader whether the replica leads in {@code term}
   * @param accepted whether the update is now in the replica's durability log (durably, in fsync
   *     mode) in {@code term}
   * @param leaderId the leader the replica knows of, or {@link #NO_LEADER}
   */
  record NilextAck(
      long requestId, int nodeId, long term, boolean leader, boolean accepted, int leaderId)
      implements Frame {}

  /**
   * Several {@link NilextRequest}s of one term in one frame: what a client sends a node when more
   * than one fast-path update for it is ready in the same turn of its event loop. The node treats
   * each as if it had come alone; batching changes the bytes on the wire, not the protocol.
   *
   * @param requests one or more, all with the same {@code term}
   */
  record NilextBatch(List<NilextRequest> requests) implements Frame {
    public NilextBatch {
      requests = List.copyOf(requests);
      if (requests.isEmpty()) {
        throw new IllegalArgumentException("a NilextBatch holds at least one request");
      }
      long term = requests.get(0).term();
      for (NilextRequest r : requests) {
        if (r.term() != term) {
          throw new IllegalArgumentException(
              "a NilextBatch holds requests of one term: " + term + " and " + r.term());
        }
      }
    }

    /** The term every request of the batch carries. */
    public long term() {
      return requests.get(0).term();
    }
  }

  /**
   * Several {@link NilextAck}s from one node with one view (term, leadership, leader) in one frame:
   * what a node sends a client for the fast-path updates of that client it answers together.
   *
   * @param acks one or more, all with the same {@code nodeId}, {@code term}, {@code leader} and
   *     {@code leaderId}
   */
  record NilextAckBatch(List<NilextAck> acks) implements Frame {
    public NilextAckBatch {
      acks = List.copyOf(acks);
      if (acks.isEmpty()) {
        throw new IllegalArgumentException("a NilextAckBatch holds at least one ack");
      }
      NilextAck first = acks.get(0);
      for (NilextAck a : acks) {
        if (!sameView(first, a)) {
          throw new IllegalArgumentException(
              "a NilextAckBatch holds acks of one node, term and leader: " + first + " and " + a);
        }
      }
    }

    /** Whether {@code a} and {@code b} may share a batch: same node, term, leadership, leader. */
    public static boolean sameView(NilextAck a, NilextAck b) {
      return a.nodeId() == b.nodeId()
          && a.term() == b.term()
          && a.leader() == b.leader()
          && a.leaderId() == b.leaderId();
    }
  }

  /** Asks a node for its status (the command line's {@code status}). */
  record StatusQuery(long requestId) implements Frame {}

  /**
   * The answer to a {@link StatusQuery}: named fields (role, term, commit index, ...) in the order
   * the node chose. Keys are distinct and neither keys nor values are null.
   */
  record StatusInfo(long requestId, Map<String, String> fields) implements Frame {
    public StatusInfo {
      Objects.requireNonNull(fields, "fields");
      LinkedHashMap<String, String> copy = new LinkedHashMap<>();
      fields.forEach(
          (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
      fields = Collections.unmodifiableMap(copy);
    }
  }
}
