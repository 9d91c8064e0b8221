package io.raftkv.storage;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Stable storage for one Raft node: the hard state (term, votedFor) and the log (Raft Figure 2,
 * "Persistent state on all servers").
 *
 * <p>Contract with the caller of {@link io.raftkv.core.RaftNode}: for each {@link
 * io.raftkv.core.Ready}, call {@link #persist} with its hard state and entries <em>before</em>
 * sending its messages. On restart, rebuild the node from {@link #hardState()} and {@link
 * #entries()}.
 *
 * <p>Invariants: the stored log is contiguous from index 1 to {@link #lastIndex()}; the stored hard
 * state is the last one given to {@link #persist} (or {@link HardState#INITIAL}). A store is used
 * by one thread at a time; it is not safe for concurrent calls.
 */
public interface LogStore extends AutoCloseable {

  /** The stored hard state; {@link HardState#INITIAL} if none was ever persisted. */
  HardState hardState();

  /**
   * The stored log, index 1 first, as an immutable list. The file store reads it back from disk
   * (callers read it once, at start); the memory store builds it from its bytes.
   */
  List<Entry> entries();

  /**
   * Stores {@code hardState} (if not null) and {@code entries}, then returns once they are as
   * durable as the store's {@link Durability} promises. An entry whose index is at or below {@link
   * #lastIndex()} replaces that entry and every later one (the conflicting suffix, Raft 5.3).
   *
   * <p>The file store gathers the entries into one write and, in {@link Durability#FSYNC} mode,
   * forces them with one fsync: a batch costs one fsync whatever its size (group commit).
   *
   * @param hardState the hard state to store, or null to keep the stored one
   * @param entries contiguous entries, the first at an index from 1 to {@code lastIndex() + 1}
   * @throws IllegalArgumentException if the entries are not contiguous or would leave a gap
   * @throws IllegalStateException if the store is closed or failed earlier
   * @throws IOException if the write failed; the store is then failed and must be reopened
   */
  void persist(HardState hardState, List<Entry> entries) throws IOException;

  /** Index of the last stored entry; 0 if the log is empty. */
  long lastIndex();

  /**
   * Durability barriers passed so far: in {@link Durability#FSYNC} mode, one per {@link #persist}
   * call that stored something; none in the other modes. Used for the "fsyncs per committed entry"
   * metric.
   */
  long syncCount();

  /** Releases files and the data directory lock. Idempotent. */
  @Override
  void close() throws IOException;

  /**
   * Opens the store of one node.
   *
   * @param dir the data directory, created if missing; ignored (may be null) for {@link
   *     Durability#MEMORY}
   * @throws DataDirectoryLockedException if another store holds {@code dir}
   * @throws CorruptLogException if stored data is corrupt anywhere but a torn tail
   */
  static LogStore open(Path dir, Durability mode) throws IOException {
    switch (mode) {
      case MEMORY:
        return new MemoryLogStore();
      case FSYNC:
      case NOSYNC:
        return FileLogStore.open(dir, mode);
    }
    throw new AssertionError(mode);
  }
}
