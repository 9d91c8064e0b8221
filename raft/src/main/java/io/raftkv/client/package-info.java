/**
 * The Java client of raftkv: {@link io.raftkv.client.RaftClient} sessions, asynchronous with {@code
 * CompletableFuture}, over a shared {@link io.raftkv.client.ClientConnectionPool} (one Netty event
 * loop group, one connection per node). A session finds the leader, follows redirects and retries
 * with the same (clientId, seq), bounded by a deadline; failures say whether the operation may have
 * been applied ({@link io.raftkv.client.OutcomeUnknownException}) or not ({@link
 * io.raftkv.client.NoQuorumException}).
 */
package io.raftkv.client;
