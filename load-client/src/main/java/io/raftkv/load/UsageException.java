package io.raftkv.load;

/** A bad command line: the message says what is wrong; the process exits with code 2. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
