package io.raftkv.storage;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.util.List;

/**
 * A {@link LogStore} that keeps everything in memory ({@link Durability#MEMORY}): {@link #persist}
 * is durable only for the life of this object, and a restart loses everything. For measuring the
 * protocol alone. It follows the same rules as {@link FileLogStore} (contiguity, truncation of a
 * conflicting suffix, closed state), so tests run one suite against both.
 */
public final class MemoryLogStore implements LogStore {
  private final StoredEntries entries = new StoredEntries();
  private HardState hardState = HardState.INITIAL;
  private boolean closed;

  public MemoryLogStore() {}

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public List<Entry> entries() {
    return entries.snapshot();
  }

  @Override
  public void persist(HardState hs, List<Entry> batch) {
    if (closed) {
      throw new IllegalStateException("log store is closed");
    }
    entries.checkAppend(batch);
    if (hs != null) {
      hardState = hs;
    }
    entries.append(batch);
  }

  @Override
  public long lastIndex() {
    return entries.lastIndex();
  }

  /** Always 0: nothing is ever synced. */
  @Override
  public long syncCount() {
    return 0;
  }

  @Override
  public void close() {
    closed = true;
  }
}
