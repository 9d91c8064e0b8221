package io.raftkv.core;

import java.util.List;

/**
 * What the caller of a {@link RaftNode} must do, in this order, before calling {@link
 * RaftNode#advance(Ready)}:
 *
 * <ol>
 *   <li>persist {@code hardState} (if not null) and {@code entries} durably; an entry whose index
 *       is at or below the last stored index replaces that entry and every entry after it;
 *   <li>only then send {@code messages} (they may depend on what was just persisted: a vote, an
 *       acknowledgment of entries); {@code earlyMessages} may be sent before or while persisting:
 *       with {@code parallelLeaderWrite}, a leader's AppendEntries and heartbeats, which depend on
 *       nothing of this Ready (the leader counts its own entries toward a commit only once {@link
 *       RaftNode#advance} reports them durable);
 *   <li>apply {@code committedEntries} to the state machine in index order;
 *   <li>answer the reads in {@code readStates} once the state machine has applied their index.
 * </ol>
 *
 * A node hands out one Ready at a time; it may be stepped and ticked while a Ready is being
 * handled, and the next Ready holds only what happened since.
 */
public record Ready(
    HardState hardState,
    List<Entry> entries,
    List<Message> earlyMessages,
    List<Message> messages,
    List<Entry> committedEntries,
    List<ReadState> readStates) {

  public Ready {
    entries = List.copyOf(entries);
    earlyMessages = List.copyOf(earlyMessages);
    messages = List.copyOf(messages);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
  }

  /** Whether the caller must write to stable storage before sending the messages. */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty();
  }
}
