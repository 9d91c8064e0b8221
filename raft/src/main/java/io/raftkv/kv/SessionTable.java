package io.raftkv.kv;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The client sessions of the state machine, part of the replicated state (Raft thesis 6.3).
 *
 * <p>Expiry is by log index, never by clock, so every replica expires the same sessions at the same
 * entry (thesis 6.3: "servers must agree on when a client's session expires"). A session last used
 * at index {@code u} survives the next {@code expiryEntries} entries; applying entry {@code u +
 * expiryEntries + 1} or later removes it first. Sessions are kept in order of last use (a use moves
 * a session to the tail), so the head is always the next to expire and eviction is O(1) amortized
 * per applied entry.
 */
final class SessionTable {
  private final long expiryEntries;
  private final LinkedHashMap<Long, Session> byLastUse = new LinkedHashMap<>();

  SessionTable(long expiryEntries) {
    if (expiryEntries < 1) {
      throw new IllegalArgumentException(
          "sessionExpiryEntries must be at least 1: " + expiryEntries);
    }
    this.expiryEntries = expiryEntries;
  }

  /**
   * Removes every session last used before index {@code index - expiryEntries}; call before
   * applying {@code index}.
   */
  void expireBefore(long index) {
    long oldestKept = index - expiryEntries;
    Iterator<Session> it = byLastUse.values().iterator();
    while (it.hasNext()) {
      if (it.next().lastUsedIndex() >= oldestKept) {
        return;
      }
      it.remove();
    }
  }

  /** The client's session, or null if it has none (never opened, or expired). */
  Session get(long clientId) {
    return byLastUse.get(clientId);
  }

  /** Records {@code session} as its client's latest state and moves it to the tail. */
  void put(Session session) {
    byLastUse.remove(session.clientId());
    byLastUse.put(session.clientId(), session);
  }

  int size() {
    return byLastUse.size();
  }

  /** The sessions, oldest last use first. */
  List<Session> inExpiryOrder() {
    return List.copyOf(new ArrayList<>(byLastUse.values()));
  }
}
