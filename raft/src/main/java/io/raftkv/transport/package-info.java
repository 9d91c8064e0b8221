/**
 * What the node loop needs from the network, without Netty: {@link io.raftkv.transport.Transport}
 * to send peer messages and flush, {@link io.raftkv.transport.ClientConnection} to answer a client,
 * and {@link io.raftkv.transport.InboundSink} through which the transport hands over what arrived.
 * The implementation is {@code io.raftkv.transport.netty}.
 */
package io.raftkv.transport;
