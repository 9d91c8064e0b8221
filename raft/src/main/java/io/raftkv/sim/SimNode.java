package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.Role;
import io.raftkv.fastpath.DurabilityLog;
import io.raftkv.fastpath.FastPathReplica;
import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.fastpath.OrderedUpdates;
import io.raftkv.kv.Applied;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.storage.StoredDurabilityLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One simulated server: a {@link RaftNode}, its {@link SimDisk} and its state machine, driven the
 * way the real node loop drives them. A Ready is written to the disk, synced after a simulated
 * fsync delay, and only then are its messages sent and its entries applied (the Ready contract). A
 * crash discards the node's memory and whatever its disk had not synced.
 *
 * <p>The optimization flags are honoured as the server does:
 *
 * <ul>
 *   <li>client requests that arrive while a Ready is being persisted wait; when the node is free
 *       again, with {@code batching} all of them are proposed in one {@code propose(list)} (one
 *       Ready, one fsync), without it only the oldest (one entry per fsync, as vanilla);
 *   <li>with {@code leaseReads}, a get or multiGet is not proposed but asks {@link
 *       RaftNode#readIndex(long)} for a read point and is answered from {@link KvStateMachine#read}
 *       once the state machine has applied up to it; reads still waiting for their read point when
 *       the node loses leadership are answered "not leader", so the client retries elsewhere;
 *   <li>with {@code parallelLeaderWrite}, the leader's {@link Ready#earlyMessages()} (AppendEntries
 *       and heartbeats) go out as soon as the Ready is taken, while the fsync runs; the other
 *       messages only after it;
 *   <li>with {@code nilextFastPath}, a {@link FastPathReplica} sits beside the Raft node as in the
 *       server's node loop: fast-path updates go to it, durability-log messages are routed to it
 *       instead of the Raft node, it ticks with the node and sees the role after every input, its
 *       ordered updates are proposed at once, and it learns every applied request. What it accepted
 *       (and its fence) is written to the {@link SimDurabilityDisk} in the same persist cycle as
 *       the next Ready and synced by the same simulated fsync; the acknowledgments and its messages
 *       go out only after that fsync, so nothing is acknowledged before the hard state of its
 *       moment and the durability batch are both durable. A leader still recovering the durability
 *       logs answers ordered requests "busy"; a read of a key with a pending update forces the
 *       ordering and waits until the state machine has applied the Raft log as it stood then.
 * </ul>
 *
 * <p>Each start draws the node's clock drift: it ticks every {@code tickMillis * (1 + delta)}
 * virtual milliseconds, {@code delta} uniform in {@code [-driftRate, driftRate]}. With adversarial
 * drift the rate follows the role instead, within the same bound: {@code 1 + driftRate} while the
 * node leads (its lease lasts longest), {@code 1 - driftRate} otherwise (votes come soonest).
 */
final class SimNode {
  /** A lease or ReadIndex read; {@code index} is its read point once known, else 0. */
  private record PendingRead(long id, int clientEndpoint, KvRequest request, long index) {}

  final int id;
  private final RaftConfig config;
  private final List<Integer> voters;
  private final EventQueue events;
  private final SimNetwork network;
  private final SplittableRandom random;
  private final SimObserver observer;
  private final long tickMicros;
  private final double driftRate;
  private final boolean adversarialDrift;
  final SimDisk disk = new SimDisk();
  final SimDurabilityDisk durabilityDisk = new SimDurabilityDisk();

  private RaftNode raft;
  private KvStateMachine kv;
  private boolean up;
  private boolean busy;
  private int incarnation;
  private long fsyncMaxMicros = 500;
  private long tickPeriodMicros;
  private boolean wasLeader;
  private long leaderTerm;
  private long nextReadId;

  /** With {@code nilextFastPath}: the fast-path side of this node while it is up, else null. */
  private FastPathReplica fastPath;

  /** A fast-path answer waiting for the persist cycle that makes its update durable. */
  private record PendingAck(int clientEndpoint, ClientMessages.NilextAck ack) {}

  /** A read of a pending key, waiting until the state machine has applied {@code untilApplied}. */
  private record DeferredRead(long untilApplied, ClientMessages.Request request) {}

  /** Fast-path outputs waiting for the next persist cycle (taken while a Ready was in flight). */
  private final List<PendingAck> pendingAcks = new ArrayList<>();

  private final List<NilextEntry> toPersist = new ArrayList<>();
  private long fenceToPersist;
  private final List<NilextId> removed = new ArrayList<>();
  private final List<Message> fastPathMessages = new ArrayList<>();
  private final ArrayDeque<DeferredRead> deferredReads = new ArrayDeque<>();

  /** Counters the targeted fast-path tests read: they show the paths were exercised. */
  private long restartsWithDurabilityLog;

  private long readsDeferred;

  /** As in the node loop: no read before the updates of the last recovery are applied. */
  private long readBarrier;

  private long busyAnswers;

  /** Clients waiting for the reply to (clientId, seq), by client endpoint. */
  private final Map<List<Long>, Integer> waiting = new HashMap<>();

  /** Client requests that arrived while a Ready was being persisted, oldest first. */
  private final ArrayDeque<ClientMessages.Request> queued = new ArrayDeque<>();

  /** Reads waiting for their read point, by read request id. */
  private final Map<Long, PendingRead> awaitingReadPoint = new LinkedHashMap<>();

  /** Reads with a read point, waiting until the state machine has applied it; lowest first. */
  private final PriorityQueue<PendingRead> awaitingApply =
      new PriorityQueue<>(
          Comparator.comparingLong(PendingRead::index).thenComparingLong(PendingRead::id));

  SimNode(
      int id,
      RaftConfig config,
      List<Integer> voters,
      EventQueue events,
      SimNetwork network,
      SplittableRandom random,
      SimObserver observer,
      double driftRate,
      boolean adversarialDrift) {
    this.id = id;
    this.config = config;
    this.voters = voters;
    this.events = events;
    this.network = network;
    this.random = random;
    this.observer = observer;
    this.tickMicros = config.tickMillis() * 1000L;
    this.driftRate = driftRate;
    this.adversarialDrift = adversarialDrift;
    network.register(id, this::onReceive);
  }

  /** Starts (or restarts) the node from what its disk holds, with a newly drawn clock drift. */
  void start() {
    raft =
        new RaftNode(
            config,
            id,
            voters,
            disk.hardState(),
            disk.log(),
            new SplittableRandom(random.nextLong()));
    kv = new KvStateMachine();
    if (config.nilextFastPath()) {
      StoredDurabilityLog stored = durabilityDisk.load();
      if (!stored.entries().isEmpty()) {
        restartsWithDurabilityLog++;
      }
      fastPath =
          new FastPathReplica(
              id,
              voters,
              DurabilityLog.restore(stored.entries(), stored.fence()),
              config.orderBatchSize(),
              config.orderDelayTicks(),
              2 * config.heartbeatTicks());
    }
    up = true;
    busy = false;
    wasLeader = false;
    double delta = (2 * random.nextDouble() - 1) * driftRate;
    tickPeriodMicros = Math.max(1, Math.round(tickMicros * (1 + delta)));
    int inc = incarnation;
    events.after(random.nextLong(tickPeriodMicros()) + 1, () -> onTick(inc));
  }

  /** Stops the node at once: memory and unsynced writes are lost. */
  void crash() {
    up = false;
    incarnation++;
    disk.loseUnsynced();
    durabilityDisk.loseUnsynced();
    fastPath = null;
    pendingAcks.clear();
    toPersist.clear();
    fenceToPersist = 0;
    removed.clear();
    fastPathMessages.clear();
    deferredReads.clear();
    waiting.clear();
    queued.clear();
    awaitingReadPoint.clear();
    awaitingApply.clear();
    raft = null;
    kv = null;
  }

  boolean isUp() {
    return up;
  }

  RaftNode raft() {
    return raft;
  }

  KvStateMachine stateMachine() {
    return kv;
  }

  /** The fast-path replica while the node is up with {@code nilextFastPath}, else null. */
  FastPathReplica fastPath() {
    return fastPath;
  }

  /** Starts that found a non-empty durability log on the disk. */
  long restartsWithDurabilityLog() {
    return restartsWithDurabilityLog;
  }

  /** Reads of a pending key that waited for the ordering (fast path). */
  long readsDeferred() {
    return readsDeferred;
  }

  /** Ordered requests answered "busy" while this node recovered as leader. */
  long busyAnswers() {
    return busyAnswers;
  }

  /**
   * How long this node's next tick lasts in virtual microseconds, drift included: the period drawn
   * at start, or with adversarial drift the slowest clock while leading and the fastest otherwise.
   */
  long tickPeriodMicros() {
    if (adversarialDrift) {
      double delta = raft.role() == Role.LEADER ? driftRate : -driftRate;
      return Math.max(1, Math.round(tickMicros * (1 + delta)));
    }
    return tickPeriodMicros;
  }

  void setFsyncMaxMicros(long micros) {
    this.fsyncMaxMicros = micros;
  }

  private void onTick(int inc) {
    if (inc != incarnation || !up) {
      return;
    }
    raft.tick();
    if (fastPath != null) {
      fastPath.tick();
    }
    noticeRoleChange();
    process();
    events.after(tickPeriodMicros(), () -> onTick(inc));
  }

  private void onReceive(Object payload) {
    if (!up) {
      return;
    }
    if (payload instanceof Message m) {
      if (fastPath != null && isDurabilityLogMessage(m)) {
        fastPath.onMessage(m, raft.term(), OrderedUpdates.of(raft, kv));
      } else {
        raft.step(m);
      }
    } else if (payload instanceof ClientMessages.Request r) {
      onClientRequest(r);
    } else if (payload instanceof ClientMessages.NilextRequest r) {
      onNilext(r);
    } else {
      throw new IllegalArgumentException("node " + id + " got " + payload);
    }
    noticeRoleChange();
    process();
  }

  private static boolean isDurabilityLogMessage(Message m) {
    return m instanceof Message.DurabilityLogRequest
        || m instanceof Message.DurabilityLogResponse
        || m instanceof Message.DurabilityLogPrune;
  }

  /**
   * A fast-path update: into the durability log now; the answer, with the term and role of this
   * moment, waits for the persist cycle that makes the update durable.
   */
  private void onNilext(ClientMessages.NilextRequest r) {
    KvRequest q = r.request();
    boolean accepted = false;
    if (fastPath != null && q.command().nilext() && r.term() > 0) {
      boolean applied = kv.lastSeq(q.clientId()) >= q.seq();
      accepted =
          fastPath
              .onNilext(NilextEntry.of(r.term(), q), raft.term(), raft.role(), applied)
              .accepted();
    }
    pendingAcks.add(
        new PendingAck(
            r.clientEndpoint(),
            new ClientMessages.NilextAck(
                q.clientId(),
                q.seq(),
                id,
                raft.term(),
                raft.role() == Role.LEADER,
                accepted,
                raft.leaderId())));
  }

  /** Lets the fast-path replica see the role and term, proposes what it ordered, takes outputs. */
  private void fastPathAfterInput() {
    if (fastPath == null) {
      return;
    }
    fastPath.afterInput(raft.term(), raft.role(), OrderedUpdates.of(raft, kv));
    proposeOrdered();
    toPersist.addAll(fastPath.takeToPersist());
    fenceToPersist = Math.max(fenceToPersist, fastPath.takeFence());
    removed.addAll(fastPath.takeRemoved());
    fastPathMessages.addAll(fastPath.takeMessages());
  }

  /** Proposes the updates the fast-path leader ordered; nobody waits for their replies here. */
  private void proposeOrdered() {
    boolean recovered = fastPath.takeRecoveryFinished();
    List<byte[]> ordered = fastPath.takeProposals();
    if (!ordered.isEmpty() && raft.role() == Role.LEADER) {
      var unused = raft.propose(ordered);
    }
    if (recovered) {
      readBarrier = raft.lastIndex();
    }
  }

  /**
   * The fast path's part of an ordered request at the leader, as the node loop does it: "busy"
   * while recovering; a read of a pending key or any update orders what is pending first ({@link
   * FastPathReplica#mustOrderBefore}), and a lease read of a pending key then waits for that to
   * apply.
   *
   * @return whether the request has been dealt with here
   */
  private boolean fastPathIntercepts(ClientMessages.Request r) {
    if (fastPath == null || raft.role() != Role.LEADER) {
      return false;
    }
    KvRequest q = r.request();
    if (!fastPath.serving()) {
      busyAnswers++;
      network.send(id, r.clientEndpoint(), new ClientMessages.Busy(q.clientId(), q.seq()));
      return true;
    }
    if (fastPath.mustOrderBefore(q)) {
      fastPath.orderNow();
      proposeOrdered();
      if (KvRequest.isRead(q.command()) && config.leaseReads()) {
        readsDeferred++;
        deferredReads.addLast(new DeferredRead(raft.lastIndex(), r));
        return true;
      }
    } else if (KvRequest.isRead(q.command())
        && config.leaseReads()
        && kv.appliedIndex() < readBarrier) {
      readsDeferred++;
      deferredReads.addLast(new DeferredRead(readBarrier, r));
      return true;
    }
    return false;
  }

  /** Starts the reads whose pending fast-path updates the state machine has now applied. */
  private void releaseDeferredReads() {
    while (!deferredReads.isEmpty()
        && deferredReads.peekFirst().untilApplied() <= kv.appliedIndex()) {
      startRead(deferredReads.pollFirst().request());
    }
  }

  private void onClientRequest(ClientMessages.Request r) {
    if (fastPathIntercepts(r)) {
      return;
    }
    if (config.leaseReads() && KvRequest.isRead(r.request().command())) {
      startRead(r);
    } else if (busy) {
      queued.addLast(r);
    } else {
      propose(List.of(r));
    }
  }

  /** Proposes what waited for the last Ready: all of it with batching, else the oldest request. */
  private void proposeQueued() {
    if (queued.isEmpty()) {
      return;
    }
    List<ClientMessages.Request> batch = new ArrayList<>();
    if (config.batching()) {
      batch.addAll(queued);
      queued.clear();
    } else {
      batch.add(queued.pollFirst());
    }
    propose(batch);
  }

  private void propose(List<ClientMessages.Request> requests) {
    List<byte[]> commands = new ArrayList<>(requests.size());
    for (ClientMessages.Request r : requests) {
      commands.add(KvCodec.encode(r.request()));
    }
    ProposeResult result = raft.propose(commands);
    for (ClientMessages.Request r : requests) {
      if (result instanceof ProposeResult.NotLeader nl) {
        notLeader(r.clientEndpoint(), r.request(), nl.leaderId());
      } else {
        waiting.put(List.of(r.request().clientId(), r.request().seq()), r.clientEndpoint());
      }
    }
  }

  private void startRead(ClientMessages.Request r) {
    long readId = ++nextReadId;
    if (!raft.readIndex(readId)) {
      notLeader(r.clientEndpoint(), r.request(), raft.leaderId());
      return;
    }
    awaitingReadPoint.put(readId, new PendingRead(readId, r.clientEndpoint(), r.request(), 0));
  }

  private void notLeader(int clientEndpoint, KvRequest request, int leaderHint) {
    network.send(
        id,
        clientEndpoint,
        new ClientMessages.NotLeader(request.clientId(), request.seq(), leaderHint));
  }

  /**
   * A node that stops leading (or leads a new term) will never get read points for the reads it
   * accepted as leader: they are refused so their clients retry. Reads that already have a read
   * point were confirmed while this node led and are still answered.
   */
  private void noticeRoleChange() {
    boolean leader = raft.role() == Role.LEADER;
    if (wasLeader && (!leader || raft.term() != leaderTerm)) {
      for (PendingRead p : awaitingReadPoint.values()) {
        notLeader(p.clientEndpoint(), p.request(), raft.leaderId());
      }
      awaitingReadPoint.clear();
      for (DeferredRead d : deferredReads) {
        notLeader(d.request().clientEndpoint(), d.request().request(), raft.leaderId());
      }
      deferredReads.clear();
    }
    wasLeader = leader;
    leaderTerm = raft.term();
  }

  /** What one persist cycle sends once its fsync is done: fast-path answers and messages. */
  private record FastPathOut(List<PendingAck> acks, List<Message> messages) {
    static final FastPathOut NONE = new FastPathOut(List.of(), List.of());
  }

  /**
   * One persist cycle, if none is running and there is work: the next Ready and the fast-path batch
   * are written, synced by one simulated fsync, and only then is what depends on them sent.
   */
  private void process() {
    if (!up) {
      return;
    }
    fastPathAfterInput();
    boolean fastPathWork =
        !pendingAcks.isEmpty()
            || !fastPathMessages.isEmpty()
            || !toPersist.isEmpty()
            || fenceToPersist > 0;
    if (busy || !(raft.hasReady() || fastPathWork)) {
      return;
    }
    Ready ready = raft.hasReady() ? raft.ready() : null;
    busy = true;
    boolean mustSync = false;
    if (ready != null) {
      observer.onReady(this, ready);
      // Early messages (parallelLeaderWrite) depend on nothing this Ready persists: out at once.
      send(ready.earlyMessages());
      disk.write(ready.hardState(), ready.entries());
      mustSync = ready.mustPersist();
    }
    FastPathOut out = FastPathOut.NONE;
    if (fastPath != null) {
      mustSync |= !toPersist.isEmpty() || fenceToPersist > 0;
      durabilityDisk.append(toPersist);
      durabilityDisk.fence(fenceToPersist);
      durabilityDisk.remove(removed);
      out = new FastPathOut(List.copyOf(pendingAcks), List.copyOf(fastPathMessages));
      toPersist.clear();
      fenceToPersist = 0;
      removed.clear();
      pendingAcks.clear();
      fastPathMessages.clear();
    }
    int inc = incarnation;
    boolean sync = mustSync;
    FastPathOut fastPathOut = out;
    if (sync) {
      events.after(
          1 + random.nextLong(fsyncMaxMicros), () -> finish(inc, ready, true, fastPathOut));
    } else {
      finish(inc, ready, false, fastPathOut);
    }
  }

  private void finish(int inc, Ready ready, boolean sync, FastPathOut fastPathOut) {
    if (inc != incarnation || !up) {
      return;
    }
    if (sync) {
      disk.sync();
      durabilityDisk.sync();
    }
    if (ready != null) {
      handleSynced(ready);
    }
    for (PendingAck a : fastPathOut.acks()) {
      network.send(id, a.clientEndpoint(), a.ack());
    }
    send(fastPathOut.messages());
    busy = false;
    proposeQueued();
    process();
  }

  /** The rest of the Ready once what it persists is durable: send, apply, answer reads, advance. */
  private void handleSynced(Ready ready) {
    send(ready.messages());
    for (Entry e : ready.committedEntries()) {
      observer.onApply(this, e);
      Applied applied = kv.apply(e);
      if (applied != null && applied.request() != null) {
        KvRequest r = applied.request();
        if (fastPath != null) {
          fastPath.onApplied(r);
        }
        Integer client = waiting.remove(List.of(r.clientId(), r.seq()));
        if (client != null) {
          network.send(
              id, client, new ClientMessages.Reply(r.clientId(), r.seq(), applied.reply()));
        }
      }
    }
    for (ReadState rs : ready.readStates()) {
      PendingRead p = awaitingReadPoint.remove(rs.requestId());
      if (p != null) {
        awaitingApply.add(new PendingRead(p.id(), p.clientEndpoint(), p.request(), rs.index()));
      }
    }
    answerReads();
    raft.advance(ready);
    releaseDeferredReads();
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      network.send(id, m.to(), m);
    }
  }

  /** Answers every read whose read point the state machine has reached, from its state now. */
  private void answerReads() {
    while (!awaitingApply.isEmpty() && awaitingApply.peek().index() <= kv.appliedIndex()) {
      PendingRead p = awaitingApply.poll();
      KvRequest r = p.request();
      network.send(
          id,
          p.clientEndpoint(),
          new ClientMessages.Reply(r.clientId(), r.seq(), kv.read(r.command())));
    }
  }
}
