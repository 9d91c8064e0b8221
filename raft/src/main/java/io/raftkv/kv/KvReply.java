package io.raftkv.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The answer to one {@link KvCommand}, or an error. Replies are immutable. */
public sealed interface KvReply
    permits KvReply.Ack, KvReply.Value, KvReply.CasResult, KvReply.Values, KvReply.Failure {

  /** The acknowledgment of put, delete and multiPut: nothing else is externalized. */
  record Ack() implements KvReply {}

  /** The answer to a get; {@code value} is null when the key is absent. */
  record Value(Bytes value) implements KvReply {}

  /**
   * The answer to a cas.
   *
   * @param swapped whether the value was replaced
   * @param current the value after the operation (the new value if swapped, otherwise the value
   *     that did not match); null when the key is absent
   */
  record CasResult(boolean swapped, Bytes current) implements KvReply {}

  /** The answer to a multiGet, one element per requested key; a null element means absent. */
  record Values(List<Bytes> values) implements KvReply {
    public Values {
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }
  }

  /** A request that was not applied, or whose command was invalid. */
  record Failure(Code code, String message) implements KvReply {
    public Failure {
      Objects.requireNonNull(code, "code");
      message = message == null ? "" : message;
    }
  }

  /** Why a request failed. */
  enum Code {
    /**
     * The client is unknown and the request is not its first (seq &gt; 1): its session may have
     * expired, and applying could apply a retried command twice. Not applied; the client must start
     * over with a new clientId.
     */
    SESSION_EXPIRED,
    /** The request's seq is below the session's last seq: an old duplicate. Not applied. */
    STALE_SEQUENCE,
    /** The command is malformed or breaks a rule of its operation. Applied as a no-op. */
    INVALID_COMMAND
  }
}
