package io.raftkv.transport;

import io.raftkv.core.Message;

/**
 * Sends Raft messages to peers and flushes queued writes.
 *
 * <p>Threading contract: {@link #send} and {@link #flush} are called by the node loop thread only;
 * {@link #close} by whoever owns the transport, once. Writes queued by {@link #send} and by {@link
 * ClientConnection#send} leave the process at the next {@link #flush}, which the node loop calls
 * once per iteration, so a burst of messages costs one system call per connection.
 */
public interface Transport extends AutoCloseable {

  /**
   * Queues {@code message} for peer {@code message.to()}. A message to a peer that is not connected
   * is dropped: Raft retransmits.
   */
  void send(Message message);

  /** Flushes every connection written to since the last flush. */
  void flush();

  /** Stops accepting connections and closes every connection; bounded in time. Idempotent. */
  @Override
  void close();
}
