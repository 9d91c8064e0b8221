package io.raftkv.transport;

import io.raftkv.wire.Frame;

/**
 * One accepted client connection, as the node loop sees it: a place to send answers.
 *
 * <p>Threading contract: {@link #send} is called by the node loop thread only and queues the frame
 * until the next {@link Transport#flush}; {@link #isOpen} and {@link #remoteAddress} are safe from
 * any thread.
 */
public interface ClientConnection {

  /** Queues an answer ({@code ClientReply}, {@code NotLeader}, ...); dropped if closed. */
  void send(Frame frame);

  /** Whether the connection is still open. */
  boolean isOpen();

  /** The client's address, for logs. */
  String remoteAddress();
}
