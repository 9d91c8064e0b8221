package io.raftkv.client;

/**
 * Why a client operation failed. Subclasses say whether the operation may have been applied: {@link
 * NoQuorumException} (it was not), {@link OutcomeUnknownException} (it may have been), {@link
 * SessionExpiredException}, {@link InvalidCommandException}. A plain {@code RaftClientException} is
 * a protocol error or a closed client.
 */
public class RaftClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RaftClientException(String message) {
    super(message);
  }

  public RaftClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
