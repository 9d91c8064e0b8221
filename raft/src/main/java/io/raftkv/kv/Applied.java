package io.raftkv.kv;

import java.util.Objects;

/**
 * The outcome of applying one command entry.
 *
 * @param request the decoded request, or null if the entry's bytes did not decode
 * @param reply the reply to send to the client (never null)
 * @param duplicate true if the reply came from the client's session because the same (clientId,
 *     seq) was applied before; the command was not applied again (Raft thesis 6.3)
 */
public record Applied(KvRequest request, KvReply reply, boolean duplicate) {
  public Applied {
    Objects.requireNonNull(reply, "reply");
  }
}
