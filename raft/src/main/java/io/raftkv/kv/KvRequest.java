package io.raftkv.kv;

import java.util.Objects;

/**
 * A client's command tagged for exactly-once execution (Raft thesis 6.3). A client numbers its
 * requests 1, 2, 3, ... under one {@code clientId} and reuses the same {@code seq} when it retries,
 * so the state machine can recognise the retry and answer it from the session instead of applying
 * it twice. A client has at most one request outstanding.
 *
 * @param clientId chosen by the client, unique among live clients (for example random)
 * @param seq the request's sequence number, at least 1
 * @param command the operation
 */
public record KvRequest(long clientId, long seq, KvCommand command) {
  public KvRequest {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
    Objects.requireNonNull(command, "command");
  }
}
