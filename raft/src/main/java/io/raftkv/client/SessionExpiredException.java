package io.raftkv.client;

/**
 * The cluster no longer knows this session (it expired, Raft thesis 6.3) and an earlier attempt of
 * the operation may have been applied under the old session, so the client cannot resend it safely.
 * The outcome is unknown, as for {@link OutcomeUnknownException}. The session has already started
 * afresh under a new client id, so later operations work.
 *
 * <p>When no attempt can have been applied, the client resends the operation under the new client
 * id instead, and the caller never sees this exception.
 */
public final class SessionExpiredException extends RaftClientException {
  private static final long serialVersionUID = 1L;

  public SessionExpiredException(String message) {
    super(message);
  }
}
