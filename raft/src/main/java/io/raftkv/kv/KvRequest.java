package io.raftkv.kv;

import java.util.Objects;

/**
 * A client's command tagged for exactly-once execution (Raft thesis 6.3). A client numbers its
 * updates 1, 2, 3, ... under one {@code clientId} and reuses the same {@code seq} when it retries,
 * so the state machine can recognise the retry and answer it from the session instead of applying
 * it twice. A client has at most one request outstanding.
 *
 * <p>Reads (get, multiGet) are numbered -1, -2, -3, ... from a counter of their own: they change
 * nothing, so they need no session, and a read served outside the log (ReadIndex or lease) must not
 * consume a session number, or the client's next update would look like a gap (seq &gt; 1 from an
 * unknown client: {@link KvReply.Code#SESSION_EXPIRED}). The negative number only makes (clientId,
 * seq) unique, so a reply can be matched to its request. A read with a positive seq follows the
 * session rules like an update.
 *
 * @param clientId chosen by the client, unique among live clients (for example random)
 * @param seq the request's sequence number: at least 1 for a session request, at most -1 for a
 *     sessionless read; never 0
 * @param command the operation
 */
public record KvRequest(long clientId, long seq, KvCommand command) {
  public KvRequest {
    Objects.requireNonNull(command, "command");
    String problem = seqProblem(seq, command);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Whether this is a read outside the session (negative seq). */
  public boolean sessionless() {
    return seq < 0;
  }

  /** Whether {@code command} is a get or multiGet, the only commands that may go sessionless. */
  public static boolean isRead(KvCommand command) {
    return command instanceof KvCommand.Get || command instanceof KvCommand.MultiGet;
  }

  /** What is wrong with {@code seq} for {@code command}, or null if nothing. */
  static String seqProblem(long seq, KvCommand command) {
    if (seq == 0) {
      return "seq is 0: updates count from 1, sessionless reads from -1";
    }
    if (seq < 0 && !isRead(command)) {
      return "seq "
          + seq
          + " is negative, which only get and multiGet may use (sessionless reads), not "
          + command.getClass().getSimpleName();
    }
    return null;
  }
}
