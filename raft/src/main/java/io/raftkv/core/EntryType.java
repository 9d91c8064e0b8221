package io.raftkv.core;

/** What a log entry carries. */
public enum EntryType {
  /** The empty entry a new leader appends to commit entries of earlier terms (Raft 5.4.2, 8). */
  NOOP,
  /** An opaque command for the state machine. */
  COMMAND
}
