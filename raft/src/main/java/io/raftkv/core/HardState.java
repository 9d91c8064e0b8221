package io.raftkv.core;

/**
 * The state a node must persist before any message that depends on it leaves the node (Raft Figure
 * 2, "Persistent state on all servers").
 *
 * @param term the latest term this node has seen, starting at 0
 * @param votedFor the candidate voted for in {@code term}, or {@link #NO_VOTE}
 */
public record HardState(long term, int votedFor) {
  public static final int NO_VOTE = 0;
  public static final HardState INITIAL = new HardState(0, NO_VOTE);
}
