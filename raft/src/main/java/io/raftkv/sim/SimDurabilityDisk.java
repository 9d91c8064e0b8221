package io.raftkv.sim;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.storage.MemoryDurabilityLogStore;
import io.raftkv.storage.StoredDurabilityLog;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's simulated durability-log disk ({@link io.raftkv.storage.DurabilityLogStore} semantics,
 * like {@link SimDisk} for the Raft log): appends, fences and removals land in a volatile buffer
 * and become durable only on {@link #sync()}; a crash loses everything not yet synced. Losing a
 * removal is allowed by design (see the store's Javadoc): the entry reappears after the restart.
 */
final class SimDurabilityDisk {
  private final MemoryDurabilityLogStore durable = new MemoryDurabilityLogStore();
  private final List<Runnable> unsynced = new ArrayList<>();

  /** Buffers a batch of accepted or re-tagged entries. */
  void append(List<NilextEntry> batch) {
    if (!batch.isEmpty()) {
      List<NilextEntry> copy = List.copyOf(batch);
      unsynced.add(() -> durable.append(copy));
    }
  }

  /** Buffers a raised fence (0: none). */
  void fence(long term) {
    if (term > 0) {
      unsynced.add(() -> durable.fence(term));
    }
  }

  /** Buffers removals; they become durable with the next sync, or are lost in a crash. */
  void remove(List<NilextId> ids) {
    if (!ids.isEmpty()) {
      List<NilextId> copy = List.copyOf(ids);
      unsynced.add(() -> durable.remove(copy));
    }
  }

  /** Whether anything waits for a sync. */
  boolean dirty() {
    return !unsynced.isEmpty();
  }

  void sync() {
    unsynced.forEach(Runnable::run);
    unsynced.clear();
  }

  /** A crash: what was not synced is gone. */
  void loseUnsynced() {
    unsynced.clear();
  }

  /** What a restart finds. */
  StoredDurabilityLog load() {
    return durable.load();
  }
}
