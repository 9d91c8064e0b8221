package io.raftkv.fastpath;

/**
 * One replica's answer to a fast-path update (Skyros §4.2).
 *
 * @param replicaId the answering replica
 * @param term the replica's current term when it answered
 * @param leader whether the replica was the leader of {@code term}
 * @param accepted whether its durabilityLog holds the update (appended, re-tagged or duplicate)
 */
public record FastPathAck(int replicaId, long term, boolean leader, boolean accepted) {}
