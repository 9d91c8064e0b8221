package io.raftkv.transport;

import io.raftkv.wire.Frame;
import java.util.List;

/**
 * One accepted client connection, as the node loop sees it: a place to send answers.
 *
 * <p>Threading contract: {@link #send} is called by the node loop thread only and queues the frame
 * until the next {@link Transport#flush}; {@link #sendNow}, {@link #isOpen} and {@link
 * #remoteAddress} are safe from any thread.
 */
public interface ClientConnection {

  /** Queues an answer ({@code ClientReply}, {@code NotLeader}, ...); dropped if closed. */
  void send(Frame frame);

  /**
   * Writes {@code frames} in order and flushes them now, outside the node loop's batching; from any
   * thread (the durability-log writer sends its acknowledgments this way). Dropped if closed. Their
   * order relative to frames {@link #send} queued is not defined.
   */
  void sendNow(List<Frame> frames);

  /** Whether the connection is still open. */
  boolean isOpen();

  /** The client's address, for logs. */
  String remoteAddress();
}
