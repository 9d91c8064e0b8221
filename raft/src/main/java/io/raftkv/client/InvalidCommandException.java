package io.raftkv.client;

/**
 * The state machine rejected the command as invalid (for example a multiPut with repeated keys).
 * Nothing was changed.
 */
public final class InvalidCommandException extends RaftClientException {
  private static final long serialVersionUID = 1L;

  public InvalidCommandException(String message) {
    super(message);
  }
}
