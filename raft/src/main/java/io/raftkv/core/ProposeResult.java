package io.raftkv.core;

/** What became of a proposal. */
public sealed interface ProposeResult permits ProposeResult.Accepted, ProposeResult.NotLeader {

  /** The commands were appended to the leader's log at {@code firstIndex..lastIndex}. */
  record Accepted(long term, long firstIndex, long lastIndex) implements ProposeResult {}

  /** This node is not the leader; {@code leaderId} is the leader it knows of, or 0. */
  record NotLeader(int leaderId) implements ProposeResult {}
}
