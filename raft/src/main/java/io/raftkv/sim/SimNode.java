package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import io.raftkv.core.Ready;
import io.raftkv.kv.Applied;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvStateMachine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated server: a {@link RaftNode}, its {@link SimDisk} and its state machine, driven the
 * way the real node loop drives them. A Ready is written to the disk, synced after a simulated
 * fsync delay, and only then are its messages sent and its entries applied (the Ready contract). A
 * crash discards the node's memory and whatever its disk had not synced.
 */
final class SimNode {
  final int id;
  private final RaftConfig config;
  private final List<Integer> voters;
  private final EventQueue events;
  private final SimNetwork network;
  private final SplittableRandom random;
  private final SimObserver observer;
  private final long tickMicros;
  final SimDisk disk = new SimDisk();

  private RaftNode raft;
  private KvStateMachine kv;
  private boolean up;
  private boolean busy;
  private int incarnation;
  private long fsyncMaxMicros = 500;

  /** Clients waiting for the reply to (clientId, seq), by client endpoint. */
  private final Map<List<Long>, Integer> waiting = new HashMap<>();

  SimNode(
      int id,
      RaftConfig config,
      List<Integer> voters,
      EventQueue events,
      SimNetwork network,
      SplittableRandom random,
      SimObserver observer) {
    this.id = id;
    this.config = config;
    this.voters = voters;
    this.events = events;
    this.network = network;
    this.random = random;
    this.observer = observer;
    this.tickMicros = config.tickMillis() * 1000L;
    network.register(id, this::onReceive);
  }

  /** Starts (or restarts) the node from what its disk holds. */
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
    int inc = incarnation;
    events.after(random.nextLong(tickMicros) + 1, () -> onTick(inc));
  }

  /** Stops the node at once: memory and unsynced writes are lost. */
  void crash() {
    up = false;
    incarnation++;
    disk.loseUnsynced();
    waiting.clear();
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

  void setFsyncMaxMicros(long micros) {
    this.fsyncMaxMicros = micros;
  }

  private void onTick(int inc) {
    if (inc != incarnation || !up) {
      return;
    }
    raft.tick();
    process();
    events.after(tickMicros, () -> onTick(inc));
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
    process();
  }

  /** Vanilla: each client request becomes one log entry of its own. */
  private void onClientRequest(ClientMessages.Request r) {
    long clientId = r.request().clientId();
    long seq = r.request().seq();
    ProposeResult result = raft.propose(List.of(KvCodec.encode(r.request())));
    if (result instanceof ProposeResult.NotLeader nl) {
      network.send(
          id, r.clientEndpoint(), new ClientMessages.NotLeader(clientId, seq, nl.leaderId()));
      return;
    }
    waiting.put(List.of(clientId, seq), r.clientEndpoint());
  }

  private void process() {
    if (!up || busy || !raft.hasReady()) {
      return;
    }
    Ready ready = raft.ready();
    busy = true;
    observer.onReady(this, ready);
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
    for (Message m : ready.earlyMessages()) {
      network.send(id, m.to(), m);
    }
    for (Message m : ready.messages()) {
      network.send(id, m.to(), m);
    }
    for (Entry e : ready.committedEntries()) {
      observer.onApply(this, e);
      Applied applied = kv.apply(e);
      if (applied != null && applied.request() != null) {
        Integer client =
            waiting.remove(List.of(applied.request().clientId(), applied.request().seq()));
        if (client != null) {
          network.send(
              id,
              client,
              new ClientMessages.Reply(
                  applied.request().clientId(), applied.request().seq(), applied.reply()));
        }
      }
    }
    if (!ready.readStates().isEmpty()) {
      throw new IllegalStateException("the simulated server asked for no ReadIndex reads");
    }
    raft.advance(ready);
    busy = false;
    process();
  }
}
