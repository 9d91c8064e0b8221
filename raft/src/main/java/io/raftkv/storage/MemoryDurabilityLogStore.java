package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import java.util.Collection;
import java.util.List;

/**
 * A {@link DurabilityLogStore} in memory ({@link Durability#MEMORY}): nothing survives a restart,
 * for measuring the protocol alone. Same rules as {@link FileDurabilityLogStore}, so one suite
 * tests both.
 */
public final class MemoryDurabilityLogStore implements DurabilityLogStore {
  private final DurabilityEntries entries = new DurabilityEntries();
  private boolean closed;

  public MemoryDurabilityLogStore() {}

  @Override
  public StoredDurabilityLog load() {
    return entries.snapshot();
  }

  @Override
  public void append(List<NilextEntry> batch) {
    checkOpen();
    for (NilextEntry e : batch) {
      entries.put(e);
    }
  }

  @Override
  public void remove(Collection<NilextId> ids) {
    checkOpen();
    entries.removeAll(ids);
  }

  @Override
  public void fence(long term) {
    checkOpen();
    entries.raiseFence(term);
  }

  /** Always 0: nothing is ever synced. */
  @Override
  public long syncCount() {
    return 0;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("durability log store is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
