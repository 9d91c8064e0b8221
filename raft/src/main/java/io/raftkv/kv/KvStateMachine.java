package io.raftkv.kv;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The replicated key-value state machine with exactly-once client sessions (Raft thesis 6.3).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Deterministic: the state (keys, sessions, {@link #appliedIndex()}) and every reply are a
 *       function of the sequence of entries applied. No clock, thread or randomness is used, so
 *       replicas that apply the same log agree (State Machine Safety, Raft 5.4.3).
 *   <li>Entries are applied in index order without gaps, each once (Raft Figure 2, "apply
 *       log[lastApplied] to state machine"); anything else is an {@link IllegalStateException}.
 *   <li>Each (clientId, seq) is applied at most once. The session rules, for a request (clientId,
 *       seq):
 *       <ul>
 *         <li>unknown client, seq == 1: open a session and apply;
 *         <li>unknown client, seq &gt; 1: {@link KvReply.Code#SESSION_EXPIRED}, not applied (the
 *             session may have expired, and applying could apply a retry twice; the client must
 *             start over with a new clientId);
 *         <li>seq == lastSeq: the cached reply, {@code duplicate = true}, not applied again;
 *         <li>seq &lt; lastSeq: {@link KvReply.Code#STALE_SEQUENCE}, not applied;
 *         <li>seq &gt; lastSeq: apply and remember (seq, reply).
 *       </ul>
 *       Gets and multiGets with a positive seq that come through the log follow the same rules.
 *   <li>A get or multiGet with a negative seq (a sessionless read, see {@link KvRequest}) is
 *       executed against the current state without consulting or changing the session table, so a
 *       duplicate of its entry just reads again. Such reads also reach the state machine outside
 *       the log ({@link #read}), where sessions play no part either.
 *   <li>Sessions expire by log index: a session not used by {@code sessionExpiryEntries} applied
 *       entries in a row is removed when the next entry is applied (see {@link SessionTable}).
 *       Expiry can defeat exactly-once in one case only, as in the thesis: a retry of a client's
 *       first request (seq 1) that arrives after its session expired opens a new session and is
 *       applied again. Every later request of an expired client gets SESSION_EXPIRED.
 *   <li>A command entry whose bytes do not decode is still applied (it advances the index and
 *       replies {@link KvReply.Code#INVALID_COMMAND}); it never stops the node.
 *   <li>A command that breaks a rule of its operation (an empty multiPut, or one with a repeated
 *       key) changes nothing and replies {@link KvReply.Code#INVALID_COMMAND}; that reply is
 *       remembered in the session like any other.
 * </ul>
 *
 * <p>Not thread-safe: one thread owns a state machine (the node loop).
 */
public final class KvStateMachine {
  /** The default session lifetime, in applied entries. */
  public static final long DEFAULT_SESSION_EXPIRY_ENTRIES = 1_000_000;

  private final Map<Bytes, Bytes> data = new HashMap<>();
  private final SessionTable sessions;
  private long appliedIndex;

  public KvStateMachine() {
    this(DEFAULT_SESSION_EXPIRY_ENTRIES);
  }

  /**
   * @param sessionExpiryEntries how many applied entries a session survives without being used, at
   *     least 1
   */
  public KvStateMachine(long sessionExpiryEntries) {
    this.sessions = new SessionTable(sessionExpiryEntries);
  }

  /**
   * Applies the next committed entry.
   *
   * @param entry the entry at index {@link #appliedIndex()} + 1
   * @return null for a no-op entry; otherwise the request (null if undecodable), its reply, and
   *     whether the reply came from the session cache
   * @throws IllegalStateException if {@code entry} is not the next index
   */
  public Applied apply(Entry entry) {
    Objects.requireNonNull(entry, "entry");
    if (entry.index() != appliedIndex + 1) {
      throw new IllegalStateException(
          "entries must be applied in order without gaps: expected index "
              + (appliedIndex + 1)
              + ", got "
              + entry.index());
    }
    appliedIndex = entry.index();
    sessions.expireBefore(appliedIndex);
    if (entry.type() == EntryType.NOOP) {
      return null;
    }
    KvRequest request;
    try {
      request = KvCodec.decode(entry.data());
    } catch (MalformedCommandException e) {
      return new Applied(
          null, new KvReply.Failure(KvReply.Code.INVALID_COMMAND, e.getMessage()), false);
    }
    return applyRequest(request);
  }

  private Applied applyRequest(KvRequest request) {
    if (request.sessionless()) {
      // A read changes nothing: executed again on a retry it answers from the state it finds.
      return new Applied(request, execute(request.command()), false);
    }
    long clientId = request.clientId();
    long seq = request.seq();
    Session session = sessions.get(clientId);
    if (session == null) {
      if (seq != 1) {
        return new Applied(
            request,
            new KvReply.Failure(
                KvReply.Code.SESSION_EXPIRED,
                "no session for client " + clientId + " at seq " + seq + "; start a new client"),
            false);
      }
    } else if (seq == session.lastSeq()) {
      sessions.put(new Session(clientId, seq, session.lastReply(), appliedIndex));
      return new Applied(request, session.lastReply(), true);
    } else if (seq < session.lastSeq()) {
      return new Applied(
          request,
          new KvReply.Failure(
              KvReply.Code.STALE_SEQUENCE,
              "client " + clientId + " seq " + seq + " is below last seq " + session.lastSeq()),
          false);
    }
    KvReply reply = execute(request.command());
    sessions.put(new Session(clientId, seq, reply, appliedIndex));
    return new Applied(request, reply, false);
  }

  /**
   * Answers a get or multiGet from the current state, outside the log and without sessions: for
   * ReadIndex and lease reads, once the caller knows the state is recent enough (Raft thesis 6.4).
   *
   * @throws IllegalArgumentException for any other command
   */
  public KvReply read(KvCommand command) {
    if (command instanceof KvCommand.Get || command instanceof KvCommand.MultiGet) {
      return execute(command);
    }
    throw new IllegalArgumentException("read serves only get and multiGet, not " + command);
  }

  private KvReply execute(KvCommand command) {
    if (command instanceof KvCommand.Put p) {
      data.put(p.key(), p.value());
      return new KvReply.Ack();
    } else if (command instanceof KvCommand.Delete d) {
      data.remove(d.key());
      return new KvReply.Ack();
    } else if (command instanceof KvCommand.Get g) {
      return new KvReply.Value(data.get(g.key()));
    } else if (command instanceof KvCommand.Cas c) {
      return cas(c);
    } else if (command instanceof KvCommand.MultiPut mp) {
      return multiPut(mp);
    } else if (command instanceof KvCommand.MultiGet mg) {
      List<Bytes> values = new ArrayList<>(mg.keys().size());
      for (Bytes key : mg.keys()) {
        values.add(data.get(key));
      }
      return new KvReply.Values(values);
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private KvReply cas(KvCommand.Cas c) {
    Bytes current = data.get(c.key());
    if (!Objects.equals(current, c.expected())) {
      return new KvReply.CasResult(false, current);
    }
    data.put(c.key(), c.value());
    return new KvReply.CasResult(true, c.value());
  }

  /** Validates the whole batch before writing any of it, so the batch is all or nothing. */
  private KvReply multiPut(KvCommand.MultiPut mp) {
    if (mp.entries().isEmpty()) {
      return new KvReply.Failure(KvReply.Code.INVALID_COMMAND, "multiPut needs at least one entry");
    }
    Set<Bytes> seen = new HashSet<>();
    for (KeyValue kv : mp.entries()) {
      if (!seen.add(kv.key())) {
        return new KvReply.Failure(
            KvReply.Code.INVALID_COMMAND, "multiPut repeats key " + kv.key());
      }
    }
    for (KeyValue kv : mp.entries()) {
      data.put(kv.key(), kv.value());
    }
    return new KvReply.Ack();
  }

  /** The index of the last entry applied; 0 before any. */
  public long appliedIndex() {
    return appliedIndex;
  }

  /** The number of keys present. */
  public int size() {
    return data.size();
  }

  /** The number of live client sessions. */
  public int sessionCount() {
    return sessions.size();
  }

  /** The value of {@code key}, for tests and invariant checks. */
  public Optional<Bytes> value(Bytes key) {
    return Optional.ofNullable(data.get(key));
  }

  /** A sorted copy of every key and value, for comparing replicas and for snapshots. */
  public SortedMap<Bytes, Bytes> contents() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(data));
  }

  /** A copy of the live sessions, oldest last use (next to expire) first. */
  public List<Session> sessions() {
    return sessions.inExpiryOrder();
  }

  /** The last sequence number applied for {@code clientId}, or 0 if it has no session. */
  public long lastSeq(long clientId) {
    Session s = sessions.get(clientId);
    return s == null ? 0 : s.lastSeq();
  }
}
