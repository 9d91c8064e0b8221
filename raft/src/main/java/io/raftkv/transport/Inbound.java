package io.raftkv.transport;

import io.raftkv.core.Message;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import java.util.List;
import java.util.Objects;

/** Something that arrived on a connection, decoded, for the node loop. */
public sealed interface Inbound
    permits Inbound.PeerMessage,
        Inbound.ClientRequest,
        Inbound.NilextRequest,
        Inbound.NilextBatch,
        Inbound.ClientQuery {

  /** How many client requests this holds, each counted against the node's limit on pending ones. */
  default int clientRequests() {
    return 0;
  }

  /** A Raft message from an accepted peer (its {@code from} matches the peer's handshake). */
  record PeerMessage(Message message) implements Inbound {
    public PeerMessage {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A key-value request from a client.
   *
   * @param payload the request as it arrived ({@code KvCodec.encode(request)}), to be proposed as
   *     is
   */
  // The array is never mutated once received.
  @SuppressWarnings("ArrayRecordComponent")
  record ClientRequest(ClientConnection from, long requestId, KvRequest request, byte[] payload)
      implements Inbound {
    public ClientRequest {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public int clientRequests() {
      return 1;
    }
  }

  /**
   * A fast-path update from a client (Skyros): a nil-externalizing request the client sent to every
   * replica, tagged with the term it believes current.
   *
   * @param payload the request as it arrived ({@code KvCodec.encode(request)})
   */
  // The array is never mutated once received.
  @SuppressWarnings("ArrayRecordComponent")
  record NilextRequest(
      ClientConnection from, long requestId, long term, KvRequest request, byte[] payload)
      implements Inbound {
    public NilextRequest {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public int clientRequests() {
      return 1;
    }
  }

  /**
   * The fast-path updates of one {@link Frame.NilextBatch}, in order: handled one after the other,
   * exactly as if each had come alone; one hand-off to the node loop instead of one per update.
   */
  record NilextBatch(List<NilextRequest> requests) implements Inbound {
    public NilextBatch {
      requests = List.copyOf(requests);
      if (requests.isEmpty()) {
        throw new IllegalArgumentException("an empty batch");
      }
    }

    @Override
    public int clientRequests() {
      return requests.size();
    }
  }

  /** A {@link Frame.LeaderQuery} or {@link Frame.StatusQuery}, answered by every node. */
  record ClientQuery(ClientConnection from, Frame query) implements Inbound {
    public ClientQuery {
      Objects.requireNonNull(from, "from");
      if (!(query instanceof Frame.LeaderQuery) && !(query instanceof Frame.StatusQuery)) {
        throw new IllegalArgumentException("not a query: " + query);
      }
    }
  }
}
