package io.raftkv.core;

/**
 * A read that may be answered once the state machine has applied {@code index} (ReadIndex, Raft
 * thesis 6.4): leadership was confirmed by a majority after the read arrived.
 *
 * @param requestId the id the caller passed to {@link RaftNode#readIndex(long)}
 * @param index the commit index when the read arrived
 */
public record ReadState(long requestId, long index) {}
