/**
 * The server: {@link io.raftkv.server.NodeLoop} (the one thread that owns a node's {@code
 * RaftNode}, log store and state machine), {@link io.raftkv.server.RaftServer} (a node assembled
 * with its Netty transport) and {@link io.raftkv.server.ServerMain} (the {@code server} command
 * line).
 */
package io.raftkv.server;
