package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.Role;
import io.raftkv.kv.Applied;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.KvStateMachine;
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
 *       messages only after it.
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
    noticeRoleChange();
    process();
    events.after(tickPeriodMicros(), () -> onTick(inc));
  }

  private void onReceive(Object payload) {
    if (!up) {
      return;
    }
    if (payload instanceof Message m) {
      raft.step(m);
    } else if (payload instanceof ClientMessages.Request r) {
      onClientRequest(r);
    } else {
      throw new IllegalArgumentException("node " + id + " got " + payload);
    }
    noticeRoleChange();
    process();
  }

  private void onClientRequest(ClientMessages.Request r) {
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
    }
    wasLeader = leader;
    leaderTerm = raft.term();
  }

  private void process() {
    if (!up || busy || !raft.hasReady()) {
      return;
    }
    Ready ready = raft.ready();
    busy = true;
    observer.onReady(this, ready);
    // Early messages (parallelLeaderWrite) depend on nothing this Ready persists: out at once.
    send(ready.earlyMessages());
    disk.write(ready.hardState(), ready.entries());
    int inc = incarnation;
    if (ready.mustPersist()) {
      events.after(1 + random.nextLong(fsyncMaxMicros), () -> finish(inc, ready));
    } else {
      finish(inc, ready);
    }
  }

  private void finish(int inc, Ready ready) {
    if (inc != incarnation || !up) {
      return;
    }
    if (ready.mustPersist()) {
      disk.sync();
    }
    send(ready.messages());
    for (Entry e : ready.committedEntries()) {
      observer.onApply(this, e);
      Applied applied = kv.apply(e);
      if (applied != null && applied.request() != null) {
        KvRequest r = applied.request();
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
    busy = false;
    proposeQueued();
    process();
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
