package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Stable storage for one replica's durabilityLog (Skyros §4.2; DESIGN.md "Fast path"): the
 * persisted copy of {@link io.raftkv.fastpath.DurabilityLog}. A replica acknowledges a fast-path
 * update only after {@link #append} returned: an update is complete once a supermajority holds it,
 * so the copies must be as durable as the Raft log (the seed projects' mistake was a durabilityLog
 * kept only in memory).
 *
 * <p>Durability of each operation:
 *
 * <ul>
 *   <li>{@link #append}: one write and, in {@link Durability#FSYNC} mode, one fsync per batch
 *       (group commit), whatever its size; written without fsync in {@link Durability#NOSYNC}.
 *   <li>{@link #fence}: forced like an append. It is a second line of defence: accepts also require
 *       {@code entry.term == currentTerm}, and the replica's term, persisted in the hard state
 *       before it hands its log over, never decreases; so after a restart older-term writes are
 *       refused even without the fence.
 *   <li>{@link #remove}: <em>not</em> forced, and a store may collect removals and write them
 *       later, in bulk (the file store writes them 4,096 at a time). Losing a removal in a crash is
 *       harmless: the entry reappears after the restart. If it had been applied, its (clientId,
 *       seq) is in the Raft log and the session table, so a recovery skips it and the state machine
 *       answers a second proposal from the session without applying it twice. If a recovery had
 *       dropped it, it never completed and has an older term: it only adds an entry to a later
 *       merge, which never loses a completed update and never changes the relative order of two
 *       others.
 * </ul>
 *
 * <p>Invariants: {@link #load()} returns what was appended (an identity appended again takes the
 * later term and keeps its first position) minus what was removed, and the highest fence. A store
 * is used by one thread at a time.
 */
public interface DurabilityLogStore extends AutoCloseable {

  /** The stored entries and fence: after {@link #open}, what a previous run left. */
  StoredDurabilityLog load();

  /**
   * Stores a batch of accepted or re-tagged entries, returning once as durable as the mode says.
   *
   * @throws IllegalStateException if the store is closed or failed earlier
   * @throws IOException if the write failed; the store is then failed and must be reopened
   */
  void append(List<NilextEntry> batch) throws IOException;

  /** Removes entries (applied, or dropped by a recovery); see the class comment on durability. */
  void remove(Collection<NilextId> ids) throws IOException;

  /** Stores a higher fence term; a lower or equal one is ignored. */
  void fence(long term) throws IOException;

  /** Durability barriers so far: one per append batch and per raised fence in FSYNC mode. */
  long syncCount();

  /**
   * Every fsync so far: the barriers of {@link #syncCount} and those of the store's own upkeep (a
   * compaction's new file and its directory). What the disk was asked to do, for reports.
   */
  default long forceCount() {
    return syncCount();
  }

  /**
   * Whether {@link #append} and {@link #fence} wait for the disk (FSYNC mode): then a caller may
   * run them on a thread of their own, overlapping another file's fsync.
   */
  default boolean forces() {
    return false;
  }

  /** Releases the file. Idempotent. */
  @Override
  void close() throws IOException;

  /**
   * Opens the durabilityLog of a node in its data directory ({@link
   * FileDurabilityLogStore#FILE_NAME}), or a memory store.
   *
   * @param dir the node's data directory; ignored (may be null) for {@link Durability#MEMORY}
   * @throws CorruptLogException if the file is corrupt anywhere but a torn tail
   */
  static DurabilityLogStore open(Path dir, Durability mode) throws IOException {
    switch (mode) {
      case MEMORY:
        return new MemoryDurabilityLogStore();
      case FSYNC:
      case NOSYNC:
        return FileDurabilityLogStore.open(dir, mode);
    }
    throw new AssertionError(mode);
  }
}
