package io.raftkv.client;

/**
 * No leader answered within the operation deadline, and the request was never handed to a node that
 * could have applied it: every attempt was refused (not leader, busy), or could not be sent
 * (connection refused or lost before sending). The operation was <b>not</b> applied, so it is safe
 * to try again. Reads ({@code get}, {@code multiGet}) and {@code leader()} always fail with this
 * exception when no answer comes, since they change nothing.
 */
public final class NoQuorumException extends RaftClientException {
  private static final long serialVersionUID = 1L;

  public NoQuorumException(String message) {
    super(message);
  }
}
