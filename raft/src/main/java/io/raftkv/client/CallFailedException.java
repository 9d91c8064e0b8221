package io.raftkv.client;

/**
 * One attempt on one node ended without an answer. {@code maybeDelivered} says whether the request
 * may have reached the node (it was written before the timeout or the connection loss), which
 * decides between {@link NoQuorumException} and {@link OutcomeUnknownException} when the operation
 * finally gives up. Internal to the client; callers never see it.
 */
final class CallFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean maybeDelivered;
  private final boolean timedOut;

  CallFailedException(String message, boolean maybeDelivered) {
    this(message, maybeDelivered, false);
  }

  CallFailedException(String message, boolean maybeDelivered, boolean timedOut) {
    super(message, null, false, false);
    this.maybeDelivered = maybeDelivered;
    this.timedOut = timedOut;
  }

  /** Whether the attempt ended because its per-attempt timeout ran out (not a lost connection). */
  boolean timedOut() {
    return timedOut;
  }

  boolean maybeDelivered() {
    return maybeDelivered;
  }
}
