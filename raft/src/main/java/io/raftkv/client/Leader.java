package io.raftkv.client;

/**
 * The answer to {@link RaftClient#leader()}.
 *
 * @param nodeId the leader's node id
 * @param address its client address {@code host:port}
 * @param term the term of the node that answered
 * @param answeredBy the address of the node that answered
 */
public record Leader(int nodeId, String address, long term, String answeredBy) {}
