package io.raftkv.transport;

/**
 * Where a transport hands over what arrived: in practice the node loop's inbound queue.
 *
 * <p>Threading contract: called from transport (Netty) threads, concurrently; an implementation
 * must be thread-safe and must not block.
 */
@FunctionalInterface
public interface InboundSink {

  /**
   * Takes {@code inbound} for the node loop. Returns false only for a {@link Inbound.ClientRequest}
   * refused because the node is overloaded; the transport then answers {@code Busy} itself. Peer
   * messages and queries are always taken.
   */
  boolean offer(Inbound inbound);
}
