package io.raftkv.fastpath;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.Role;
import io.raftkv.kv.KvRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The fast-path side of one replica (Skyros, SOSP 2021), beside its Raft node and as pure as it: no
 * threads, clocks or I/O. The caller (the real node loop, or the simulator) feeds it what arrives
 * and what the Raft node did, and drains what it must do, in this order:
 *
 * <ol>
 *   <li>persist {@link #takeToPersist()} and {@link #takeFence()} to the durability-log store (one
 *       write and one fsync for the batch) and {@link #takeRemoved()} (lazily);
 *   <li>only then send the acknowledgments of the accepted updates and {@link #takeMessages()}
 *       (they promise what was just persisted);
 *   <li>propose {@link #takeProposals()} to the Raft node, in order, as one batch.
 * </ol>
 *
 * <p>What it does (Skyros §4):
 *
 * <ul>
 *   <li>every replica accepts a nilext update into its durability log only in its current term and
 *       not as a candidate ({@link #onNilext}); applied updates leave the log ({@link #onApplied});
 *   <li>the leader orders pending updates in the background: every {@code orderDelayTicks} ticks,
 *       or as soon as {@code orderBatchSize} wait ({@link #tick}, {@link #afterInput}); a read or
 *       non-nilext update at the leader forces the ordering first ({@link #orderNow});
 *   <li>a new leader first recovers: it asks every replica for its durability log, and once it
 *       holds a majority's (its own included, each sender fenced against older terms) it proposes
 *       the updates {@link RecoveryMerge} keeps, in the order it chooses, and tells every replica
 *       to drop the others. Until then {@link #serving()} is false and the caller answers ordered
 *       requests and reads "busy".
 * </ul>
 */
public final class FastPathReplica {
  private final int id;
  private final List<Integer> voters;
  private final Supermajority cluster;
  private final int orderBatchSize;
  private final int orderDelayTicks;
  private final int recoveryRetryTicks;
  private final DurabilityLog log;

  /** The term this replica leads in, or 0 when it does not lead. */
  private long leaderTerm;

  private boolean recovering;
  private final Map<Integer, List<NilextEntry>> recoveryLogs = new LinkedHashMap<>();
  private int recoveryElapsed;

  /** Leader: pending updates already proposed in {@link #leaderTerm}. */
  private final Set<NilextId> proposed = new HashSet<>();

  private int orderElapsed;

  /** Set when a recovery has just produced its proposals; see {@link #takeRecoveryFinished()}. */
  private boolean recoveryFinished;

  private final List<NilextEntry> toPersist = new ArrayList<>();
  private long fenceToPersist;
  private final List<NilextId> removed = new ArrayList<>();
  private final List<Message> outbox = new ArrayList<>();
  private final List<byte[]> proposals = new ArrayList<>();

  /**
   * A replica over the durability log its store held.
   *
   * @param id this replica's node id
   * @param voters every voter's id, this one included (an odd number)
   * @param log the durability log as restored from the store
   * @param orderBatchSize order pending updates once this many wait
   * @param orderDelayTicks order pending updates at least every this many ticks
   * @param recoveryRetryTicks a recovering leader asks again replicas that have not answered
   */
  public FastPathReplica(
      int id,
      List<Integer> voters,
      DurabilityLog log,
      int orderBatchSize,
      int orderDelayTicks,
      int recoveryRetryTicks) {
    if (!voters.contains(id)) {
      throw new IllegalArgumentException("replica " + id + " is not among the voters " + voters);
    }
    this.id = id;
    this.voters = List.copyOf(voters);
    this.cluster = new Supermajority(voters.size());
    this.log = log;
    this.orderBatchSize = orderBatchSize;
    this.orderDelayTicks = orderDelayTicks;
    this.recoveryRetryTicks = recoveryRetryTicks;
  }

  // ---------------------------------------------------------------- inputs

  /**
   * A client's fast-path update arrived (Skyros §4.2). An update this replica's state machine has
   * already applied is acknowledged without entering the log: it is durable in the Raft log.
   *
   * @param entry the update tagged with the client's term
   * @param term the Raft node's current term
   * @param role the Raft node's role
   * @param alreadyApplied whether the state machine's session shows this (clientId, seq) applied
   * @return whether it was accepted; the acknowledgment goes out after the persist step
   */
  public Acceptance onNilext(NilextEntry entry, long term, Role role, boolean alreadyApplied) {
    boolean candidate = role == Role.CANDIDATE || role == Role.PRE_CANDIDATE;
    if (alreadyApplied && !candidate && entry.term() == term && entry.term() >= log.fenceTerm()) {
      return Acceptance.DUPLICATE;
    }
    Acceptance a = log.accept(entry, term, candidate);
    if (a.mustPersist()) {
      toPersist.add(log.get(entry.id()));
    }
    return a;
  }

  /**
   * The Raft node's role or term as of now; call after every batch of inputs. A replica that has
   * just become leader starts its recovery; one that lost leadership forgets its leader state.
   *
   * @param alreadyOrdered whether an update is already in the Raft log or applied (recovery skips
   *     those)
   */
  public void afterInput(long term, Role role, Predicate<NilextId> alreadyOrdered) {
    if (role != Role.LEADER) {
      if (leaderTerm != 0) {
        leaderTerm = 0;
        recovering = false;
        recoveryLogs.clear();
        proposed.clear();
      }
      return;
    }
    if (term != leaderTerm) {
      startRecovery(term, alreadyOrdered);
    }
    if (serving() && unproposed() >= orderBatchSize) {
      orderNow();
    }
  }

  /** One tick: a recovering leader retries its requests; a serving leader orders on its timer. */
  public void tick() {
    if (leaderTerm == 0) {
      return;
    }
    if (recovering) {
      if (++recoveryElapsed >= recoveryRetryTicks) {
        recoveryElapsed = 0;
        askForLogs();
      }
      return;
    }
    if (++orderElapsed >= orderDelayTicks) {
      orderElapsed = 0;
      if (unproposed() > 0) {
        orderNow();
      }
    }
  }

  /**
   * A durability-log message from a peer (recovery, Skyros §4.6).
   *
   * @param term the Raft node's current term
   * @param alreadyOrdered as in {@link #afterInput}
   */
  public void onMessage(Message m, long term, Predicate<NilextId> alreadyOrdered) {
    if (m instanceof Message.DurabilityLogRequest r) {
      onLogRequest(r, term);
    } else if (m instanceof Message.DurabilityLogResponse r) {
      onLogResponse(r, alreadyOrdered);
    } else if (m instanceof Message.DurabilityLogPrune p) {
      removed.addAll(ids(log.drop(ids(decode(p.entries())), p.term())));
    } else {
      throw new IllegalArgumentException("not a durability-log message: " + m);
    }
  }

  /** A committed entry was applied: its update, if pending here, leaves the durability log. */
  public void onApplied(KvRequest request) {
    if (request.seq() < 1) {
      return;
    }
    NilextId nid = new NilextId(request.clientId(), request.seq());
    proposed.remove(nid);
    removed.addAll(ids(log.removeApplied(List.of(nid))));
  }

  /**
   * Leader: proposes every pending update not yet proposed, now. Called before a read or a
   * non-nilext update, so it is ordered after every update the leader holds (Skyros §4.4).
   */
  public void orderNow() {
    if (!serving()) {
      return;
    }
    orderElapsed = 0;
    for (NilextEntry e : log.view()) {
      if (proposed.add(e.id())) {
        proposals.add(e.command());
      }
    }
  }

  // ---------------------------------------------------------------- queries

  /** Whether this replica leads and has finished its recovery, so it may serve clients. */
  public boolean serving() {
    return leaderTerm != 0 && !recovering;
  }

  /**
   * Whether the leader must order every pending update ({@link #orderNow}) before it serves {@code
   * request} on the ordered path: a read of a key with a pending update, and <em>every</em> update
   * while anything is pending (Skyros §4.4). Updates include nilext ones that fell back from the
   * fast path: proposed ahead of a pending update that had already completed, such an update would
   * be applied before one that preceded it in real time (the pending one then overwrites it), and
   * an earlier pending update of the same client would be refused by its session as a stale
   * sequence, losing a completed write.
   */
  public boolean mustOrderBefore(KvRequest request) {
    if (log.isEmpty()) {
      return false;
    }
    return !KvRequest.isRead(request.command()) || touchesPending(request);
  }

  /** Whether a pending update writes one of {@code request}'s keys. */
  public boolean touchesPending(KvRequest request) {
    return log.hasAnyPendingKey(request.command().keys());
  }

  /** The durability log (read only for callers: tests, status). */
  public DurabilityLog log() {
    return log;
  }

  /** The replica's id. */
  public int id() {
    return id;
  }

  // ---------------------------------------------------------------- outputs

  /** Entries to append to the durability-log store before acknowledging; clears them. */
  public List<NilextEntry> takeToPersist() {
    List<NilextEntry> out = List.copyOf(toPersist);
    toPersist.clear();
    return out;
  }

  /** A fence term to persist before the messages go out, or 0; clears it. */
  public long takeFence() {
    long f = fenceToPersist;
    fenceToPersist = 0;
    return f;
  }

  /** Identities removed from the log since the last call (persisted lazily); clears them. */
  public List<NilextId> takeRemoved() {
    List<NilextId> out = List.copyOf(removed);
    removed.clear();
    return out;
  }

  /** Durability-log messages to send after the persist step; clears them. */
  public List<Message> takeMessages() {
    List<Message> out = List.copyOf(outbox);
    outbox.clear();
    return out;
  }

  /**
   * Whether a recovery finished since the last call; clears it. The caller proposes {@link
   * #takeProposals()} and then must not answer any read before it has applied up to the last
   * proposed index: a recovered update may have completed under the old leader, and this leader
   * need not hold it in its own durability log, so {@link #touchesPending} cannot see it.
   */
  public boolean takeRecoveryFinished() {
    boolean f = recoveryFinished;
    recoveryFinished = false;
    return f;
  }

  /** Encoded requests the leader must propose, in order, as one batch; clears them. */
  public List<byte[]> takeProposals() {
    List<byte[]> out = List.copyOf(proposals);
    proposals.clear();
    return out;
  }

  // ---------------------------------------------------------------- recovery

  private void startRecovery(long term, Predicate<NilextId> alreadyOrdered) {
    leaderTerm = term;
    recovering = true;
    proposed.clear();
    recoveryLogs.clear();
    recoveryElapsed = 0;
    orderElapsed = 0;
    if (log.fence(term)) {
      fenceToPersist = term;
    }
    recoveryLogs.put(id, log.snapshot());
    askForLogs();
    maybeFinishRecovery(alreadyOrdered);
  }

  private void askForLogs() {
    for (int peer : voters) {
      if (peer != id && !recoveryLogs.containsKey(peer)) {
        outbox.add(new Message.DurabilityLogRequest(id, peer, leaderTerm));
      }
    }
  }

  /**
   * A new leader asks for this log. Answered only in the same term: the answer promises that
   * nothing of an older term will be accepted here any more (the fence), and a replica of another
   * term either has not caught up (the leader asks again) or follows a newer leader.
   */
  private void onLogRequest(Message.DurabilityLogRequest r, long term) {
    if (r.term() != term) {
      return;
    }
    if (log.fence(r.term())) {
      fenceToPersist = r.term();
    }
    outbox.add(new Message.DurabilityLogResponse(id, r.from(), r.term(), encode(log.snapshot())));
  }

  private void onLogResponse(Message.DurabilityLogResponse r, Predicate<NilextId> alreadyOrdered) {
    if (!recovering || r.term() != leaderTerm || !voters.contains(r.from())) {
      return;
    }
    recoveryLogs.putIfAbsent(r.from(), decode(r.entries()));
    maybeFinishRecovery(alreadyOrdered);
  }

  private void maybeFinishRecovery(Predicate<NilextId> alreadyOrdered) {
    if (recoveryLogs.size() < cluster.majority()) {
      return;
    }
    RecoveryMerge.Result result =
        RecoveryMerge.merge(
            new ArrayList<>(recoveryLogs.values()), cluster, leaderTerm, alreadyOrdered);
    Map<NilextId, NilextEntry> seen = new LinkedHashMap<>();
    for (List<NilextEntry> l : recoveryLogs.values()) {
      for (NilextEntry e : l) {
        seen.putIfAbsent(e.id(), e);
      }
    }
    recovering = false;
    recoveryFinished = true;
    recoveryLogs.clear();
    for (NilextEntry e : result.toPropose()) {
      proposed.add(e.id());
      proposals.add(e.command());
    }
    if (!result.dropped().isEmpty()) {
      removed.addAll(ids(log.drop(result.dropped(), leaderTerm)));
      List<NilextEntry> dropped = new ArrayList<>();
      for (NilextId nid : result.dropped()) {
        dropped.add(seen.get(nid));
      }
      List<Entry> encoded = encode(dropped);
      for (int peer : voters) {
        if (peer != id) {
          outbox.add(new Message.DurabilityLogPrune(id, peer, leaderTerm, encoded));
        }
      }
    }
    // What is left of older terms is already in the Raft log (recovery skipped it): it leaves the
    // log when applied. Updates accepted in this term during recovery come after the recovered.
    for (NilextEntry e : log.snapshot()) {
      if (e.term() < leaderTerm) {
        proposed.add(e.id());
      }
    }
    orderNow();
  }

  // ---------------------------------------------------------------- encoding

  private int unproposed() {
    int n = 0;
    for (NilextEntry e : log.view()) {
      if (!proposed.contains(e.id())) {
        n++;
      }
    }
    return n;
  }

  /** Durability-log entries as message entries: accepted term, position, the encoded request. */
  static List<Entry> encode(List<NilextEntry> entries) {
    List<Entry> out = new ArrayList<>(entries.size());
    long position = 1;
    for (NilextEntry e : entries) {
      out.add(Entry.command(e.term(), position++, e.command()));
    }
    return out;
  }

  static List<NilextEntry> decode(List<Entry> entries) {
    List<NilextEntry> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(NilextEntry.decode(e.term(), e.data()));
    }
    return out;
  }

  private static List<NilextId> ids(List<NilextEntry> entries) {
    List<NilextId> out = new ArrayList<>(entries.size());
    for (NilextEntry e : entries) {
      out.add(e.id());
    }
    return out;
  }
}
