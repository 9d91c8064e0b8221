package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import java.util.List;

/**
 * What a {@link DurabilityLogStore} holds: the pending entries in arrival order (at most one per
 * identity) and the fence, the highest term the replica handed its durabilityLog to (0 if none).
 * Feed it to {@link io.raftkv.fastpath.DurabilityLog#restore} on start.
 *
 * @param entries the stored entries, oldest first
 * @param fence the stored fence term
 */
public record StoredDurabilityLog(List<NilextEntry> entries, long fence) {
  public StoredDurabilityLog {
    entries = List.copyOf(entries);
  }
}
