/**
 * The Netty implementation of {@link io.raftkv.transport.Transport}: {@link
 * io.raftkv.transport.netty.NettyTransport} with its codec ({@link
 * io.raftkv.transport.netty.FrameDecoder}, {@link io.raftkv.transport.netty.FrameEncoder}), the
 * handshake on accepted connections, outgoing peer links with reconnect and backoff, and an
 * optional emulated link delay. Netty threads only decode and hand frames to the node loop.
 */
package io.raftkv.transport.netty;
