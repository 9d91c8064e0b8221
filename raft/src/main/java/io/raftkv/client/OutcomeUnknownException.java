package io.raftkv.client;

/**
 * An update (put, delete, cas, multiPut) was sent to a node at least once, and no definite answer
 * came before the deadline (a timeout after sending, or the connection was lost or sent garbage
 * after sending). It may or may not have been applied, and may still be applied later. A caller
 * that must know reads the key again; a linearizability history records it as unknown.
 */
public final class OutcomeUnknownException extends RaftClientException {
  private static final long serialVersionUID = 1L;

  public OutcomeUnknownException(String message) {
    super(message);
  }
}
