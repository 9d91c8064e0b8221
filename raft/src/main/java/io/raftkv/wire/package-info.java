/**
 * The wire format of raftkv: length-prefixed frames between peers and between clients and nodes, as
 * documented in {@code docs/wire-format.md}. Everything here is pure: {@link
 * io.raftkv.wire.WireCodec} turns a {@link io.raftkv.wire.Frame} into bytes and back, and {@link
 * io.raftkv.wire.FrameSplitter} cuts a byte stream into frame bodies. Neither does I/O, so the
 * Netty transport wraps them and tests drive them directly. Bad input only ever raises {@link
 * io.raftkv.wire.MalformedFrameException}, on which a receiver closes that one connection.
 */
package io.raftkv.wire;
