package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import java.util.Collection;
import java.util.LinkedHashMap;

/**
 * The in-memory copy of a stored durabilityLog, shared by both stores and used to replay the file.
 * Invariant: one entry per identity, in first-arrival order; storing an identity again (a re-tag
 * with a later term) replaces the entry in place; the fence never decreases.
 */
final class DurabilityEntries {
  private final LinkedHashMap<NilextId, NilextEntry> entries = new LinkedHashMap<>();
  private long fence;

  void put(NilextEntry e) {
    entries.put(e.id(), e); // an existing key keeps its position
  }

  /** Removes the identities held; returns how many were. */
  int removeAll(Collection<NilextId> ids) {
    int removed = 0;
    for (NilextId id : ids) {
      if (entries.remove(id) != null) {
        removed++;
      }
    }
    return removed;
  }

  /** Raises the fence; returns whether it rose. */
  boolean raiseFence(long term) {
    if (term <= fence) {
      return false;
    }
    fence = term;
    return true;
  }

  long fence() {
    return fence;
  }

  int size() {
    return entries.size();
  }

  Collection<NilextEntry> values() {
    return entries.values();
  }

  StoredDurabilityLog snapshot() {
    return new StoredDurabilityLog(entries.values().stream().toList(), fence);
  }
}
