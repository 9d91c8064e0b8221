package io.raftkv.fastpath;

import io.raftkv.kv.Bytes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One replica's durabilityLog (Skyros §4.2, §4.5): the nilext updates it accepted on the fast path
 * and that are not yet ordered and applied, in arrival order. This is the in-memory copy; the
 * caller persists every change through {@link io.raftkv.storage.DurabilityLogStore} before it
 * acknowledges anything that depends on it.
 *
 * <p>Rules (Skyros §4.2, §4.6):
 *
 * <ul>
 *   <li>an update is accepted only if its term is the replica's current term, the replica is not a
 *       candidate, and its term is at least the fence: the highest term for which this replica
 *       handed its log to a recovering leader;
 *   <li>an update already held (same clientId and seq) is acknowledged again and not appended a
 *       second time; if it was held from an older term it is re-tagged with the current one, in
 *       place (see {@link Acceptance#RETAGGED});
 *   <li>entries leave once committed and applied ({@link #removeApplied}) or when a recovery did
 *       not keep them ({@link #drop}).
 * </ul>
 *
 * <p>Invariants: at most one entry per {@link NilextId}; {@link #hasPendingKey} is true exactly for
 * the keys of held entries; the fence never decreases. Not thread-safe; owned by the node loop.
 */
public final class DurabilityLog {
  private final LinkedHashMap<NilextId, NilextEntry> entries = new LinkedHashMap<>();
  private final Map<Bytes, Integer> keyCounts = new HashMap<>();
  private long fence;

  /** An empty log with no fence. */
  public DurabilityLog() {}

  /** The log as loaded from its store on restart: entries in arrival order, and the fence. */
  public static DurabilityLog restore(List<NilextEntry> stored, long fence) {
    DurabilityLog log = new DurabilityLog();
    log.fence(fence);
    for (NilextEntry e : stored) {
      if (log.entries.containsKey(e.id())) {
        throw new IllegalArgumentException("two stored entries for " + e.id());
      }
      log.add(e);
    }
    return log;
  }

  /**
   * Offers a fast-path update (Skyros §4.2).
   *
   * @param entry the update, tagged with the term the client believes current
   * @param currentTerm the replica's current Raft term
   * @param candidate whether the replica is a candidate (or pre-candidate)
   * @return what happened; the caller persists if {@link Acceptance#mustPersist()}, then replies
   */
  public Acceptance accept(NilextEntry entry, long currentTerm, boolean candidate) {
    if (candidate) {
      return Acceptance.REFUSED_CANDIDATE;
    }
    if (entry.term() != currentTerm) {
      return Acceptance.REFUSED_WRONG_TERM;
    }
    if (entry.term() < fence) {
      return Acceptance.REFUSED_FENCED;
    }
    NilextEntry held = entries.get(entry.id());
    if (held == null) {
      add(entry);
      return Acceptance.APPENDED;
    }
    if (held.term() >= entry.term()) {
      return Acceptance.DUPLICATE;
    }
    entries.put(entry.id(), held.withTerm(entry.term())); // keeps the arrival position
    return Acceptance.RETAGGED;
  }

  /**
   * Raises the fence to {@code term}: called when this replica hands its log to a leader of {@code
   * term} that is recovering (Skyros §4.6). From then on fast-path writes of older terms are
   * refused, so nothing can complete in an older term without the recovering leader seeing it.
   *
   * @return whether the fence rose (then the caller persists it before handing the log over)
   */
  public boolean fence(long term) {
    if (term <= fence) {
      return false;
    }
    fence = term;
    return true;
  }

  /** The fence: the highest term this replica handed its log to; 0 if none. */
  public long fenceTerm() {
    return fence;
  }

  /**
   * Removes the entries with these identities, once they are committed and applied (Skyros §4.3);
   * identities not held are ignored (an update may have come on the ordered path only).
   *
   * @return the entries removed, in log order
   */
  public List<NilextEntry> removeApplied(Collection<NilextId> ids) {
    if (ids.size() == 1) {
      // The node loop's case, once per applied entry: a lookup, not a pass over the whole log.
      NilextEntry e = entries.get(ids.iterator().next());
      if (e == null) {
        return List.of();
      }
      remove(e);
      return List.of(e);
    }
    Set<NilextId> wanted = Set.copyOf(ids);
    List<NilextEntry> removed = new ArrayList<>();
    for (NilextEntry e : List.copyOf(entries.values())) {
      if (wanted.contains(e.id())) {
        remove(e);
        removed.add(e);
      }
    }
    return removed;
  }

  /**
   * Drops the entries a recovery of {@code recoveryTerm} did not keep (Skyros §4.6). Only copies
   * tagged with an older term go: a copy accepted in {@code recoveryTerm} or later was acknowledged
   * in a term the recovery did not cover, and may belong to an update completing now.
   *
   * @return the entries dropped, in log order
   */
  public List<NilextEntry> drop(Collection<NilextId> ids, long recoveryTerm) {
    Set<NilextId> wanted = Set.copyOf(ids);
    List<NilextEntry> dropped = new ArrayList<>();
    for (NilextEntry e : List.copyOf(entries.values())) {
      if (e.term() < recoveryTerm && wanted.contains(e.id())) {
        remove(e);
        dropped.add(e);
      }
    }
    return dropped;
  }

  /** Whether an entry with this identity is held. */
  public boolean contains(NilextId id) {
    return entries.containsKey(id);
  }

  /** The held entry with this identity, or null. */
  public NilextEntry get(NilextId id) {
    return entries.get(id);
  }

  /**
   * Whether a pending entry writes {@code key}: then a read or externalizing update of it must wait
   * until the pending entries are ordered and applied (Skyros §4.4).
   */
  public boolean hasPendingKey(Bytes key) {
    return keyCounts.containsKey(key);
  }

  /** Whether a pending entry writes any of {@code keys}. */
  public boolean hasAnyPendingKey(Collection<Bytes> keys) {
    for (Bytes k : keys) {
      if (keyCounts.containsKey(k)) {
        return true;
      }
    }
    return false;
  }

  /** The keys written by pending entries; an immutable copy. */
  public Set<Bytes> pendingKeys() {
    return Set.copyOf(keyCounts.keySet());
  }

  /** The pending entries in arrival order: what this replica hands to a recovering leader. */
  public List<NilextEntry> snapshot() {
    return List.copyOf(entries.values());
  }

  /**
   * The pending entries in arrival order, as a read-only view (no copy): for a pass that does not
   * change the log while it iterates.
   */
  public Collection<NilextEntry> view() {
    return Collections.unmodifiableCollection(entries.values());
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  private void add(NilextEntry e) {
    entries.put(e.id(), e);
    for (Bytes k : e.keys()) {
      keyCounts.merge(k, 1, Integer::sum);
    }
  }

  private void remove(NilextEntry e) {
    entries.remove(e.id());
    for (Bytes k : e.keys()) {
      keyCounts.computeIfPresent(k, (key, n) -> n == 1 ? null : n - 1);
    }
  }
}
