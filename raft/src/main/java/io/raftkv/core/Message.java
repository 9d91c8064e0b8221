package io.raftkv.core;

import java.util.List;

/**
 * A message between two nodes of one cluster. Every message carries the sender's term; a node that
 * sees a higher term in a request or response updates its own (Raft 5.1), except for pre-vote
 * traffic, which never changes a term (thesis 9.6).
 */
public sealed interface Message
    permits Message.VoteRequest,
        Message.VoteResponse,
        Message.AppendEntriesRequest,
        Message.AppendEntriesResponse,
        Message.HeartbeatRequest,
        Message.HeartbeatResponse,
        Message.DurabilityLogRequest,
        Message.DurabilityLogResponse,
        Message.DurabilityLogPrune {

  int from();

  int to();

  long term();

  /**
   * RequestVote (Raft 5.2, 5.4.1), or a pre-vote when {@code preVote}: then {@code term} is the
   * term the sender would campaign in, and the receiver's term does not change.
   */
  record VoteRequest(
      int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote)
      implements Message {}

  /** The answer to a {@link VoteRequest}; {@code term} echoes the request's term when granted. */
  record VoteResponse(int from, int to, long term, boolean granted, boolean preVote)
      implements Message {}

  /**
   * AppendEntries (Raft 5.3). The receiver accepts {@code entries} only if its log holds an entry
   * at {@code prevLogIndex} with {@code prevLogTerm}.
   */
  record AppendEntriesRequest(
      int from,
      int to,
      long term,
      long prevLogIndex,
      long prevLogTerm,
      List<Entry> entries,
      long leaderCommit)
      implements Message {
    public AppendEntriesRequest {
      entries = List.copyOf(entries);
    }

    /** The index of the last entry carried, or {@code prevLogIndex} when there is none. */
    public long lastIndex() {
      return prevLogIndex + entries.size();
    }
  }

  /**
   * The answer to an {@link AppendEntriesRequest}.
   *
   * @param success whether the entries were accepted
   * @param index on success, the highest index known to match the leader's log; on rejection, the
   *     rejected {@code prevLogIndex}
   * @param conflictTerm on rejection, the term of the follower's entry at {@code index}, or 0 if
   *     its log is shorter (fast backtracking, Raft 5.3 last paragraphs)
   * @param conflictIndex on rejection, the first index of {@code conflictTerm} in the follower's
   *     log, or its last index plus one when its log is shorter
   */
  record AppendEntriesResponse(
      int from,
      int to,
      long term,
      boolean success,
      long index,
      long conflictTerm,
      long conflictIndex)
      implements Message {}

  /**
   * The leader's periodic heartbeat: asserts leadership, carries the commit index (capped by what
   * the follower is known to hold) and, for ReadIndex, the id of the read round it confirms.
   */
  record HeartbeatRequest(int from, int to, long term, long commitIndex, long readRound)
      implements Message {}

  /** The answer to a {@link HeartbeatRequest}, echoing its read round. */
  record HeartbeatResponse(int from, int to, long term, long readRound) implements Message {}

  /**
   * Fast path (Skyros, recovery): the new leader of {@code term} asks for the sender's durability
   * log. The receiver, if its term is {@code term}, answers with its log and from then on refuses
   * fast-path updates of older terms. Not handled by {@link RaftNode} (its {@code step} ignores the
   * three durability-log messages); the caller hands them to the fast-path replica.
   */
  record DurabilityLogRequest(int from, int to, long term) implements Message {}

  /**
   * The answer to a {@link DurabilityLogRequest}: the sender's durability log in arrival order.
   * Each entry's {@code term} is the term the update was accepted in, its {@code index} its
   * position (1, 2, ...) and its {@code data} the encoded request.
   */
  record DurabilityLogResponse(int from, int to, long term, List<Entry> entries)
      implements Message {
    public DurabilityLogResponse {
      entries = List.copyOf(entries);
    }
  }

  /**
   * After its recovery committed, the leader of {@code term} tells every replica which updates of
   * older terms recovery did not keep, so they leave every durability log. Entries are encoded as
   * in {@link DurabilityLogResponse}.
   */
  record DurabilityLogPrune(int from, int to, long term, List<Entry> entries) implements Message {
    public DurabilityLogPrune {
      entries = List.copyOf(entries);
    }
  }
}
