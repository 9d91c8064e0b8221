package io.raftkv.kv;

import java.util.Objects;

/**
 * What the replicated state remembers of one client (Raft thesis 6.3): the last sequence number it
 * applied and the reply it gave, so a retry of that request is answered again without being applied
 * twice, and the index of the entry that last used the session, which decides expiry.
 *
 * @param clientId the client
 * @param lastSeq the highest seq applied for this client, at least 1
 * @param lastReply the reply to {@code lastSeq}
 * @param lastUsedIndex the log index of the last entry that applied or answered a request of this
 *     client
 */
public record Session(long clientId, long lastSeq, KvReply lastReply, long lastUsedIndex) {
  public Session {
    Objects.requireNonNull(lastReply, "lastReply");
  }
}
