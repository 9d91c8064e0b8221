package io.raftkv.bench;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import io.raftkv.core.Message;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import io.raftkv.core.Ready;
import io.raftkv.core.Role;
import io.raftkv.storage.MemoryLogStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure {@link RaftNode}s wired together in memory, for measuring the core without I/O, threads or
 * clocks: messages are delivered synchronously, in order, until nothing is left to do, and each
 * node handles its {@link Ready} by the contract (persist to a {@link MemoryLogStore}, then send,
 * then apply, then advance). Applying only records the index: the state machine is measured on its
 * own ({@code StateMachineBenchmark}). Time passes only in {@link #elect}, so in steady state no
 * heartbeat or election happens.
 *
 * <p>Deterministic: the only randomness is each node's election timeout, seeded by its id.
 */
final class SynchronousCluster {
  /** Bound on delivery rounds of one {@link #settle}; a healthy cluster settles in a handful. */
  private static final int MAX_SETTLE_ROUNDS = 10_000;

  private final List<RaftNode> nodes = new ArrayList<>();
  private final List<MemoryLogStore> stores = new ArrayList<>();
  private final long[] applied;
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();

  /** Nodes with ids 1 to {@code size}, all followers in term 0. */
  SynchronousCluster(RaftConfig config, int size, long seed) {
    List<Integer> ids = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      ids.add(id);
    }
    for (int id : ids) {
      stores.add(new MemoryLogStore());
      nodes.add(
          new RaftNode(
              config, id, ids, HardState.INITIAL, List.of(), new SplittableRandom(seed * 31 + id)));
    }
    applied = new long[size];
  }

  RaftNode node(int id) {
    return nodes.get(id - 1);
  }

  /** The highest index node {@code id} has applied. */
  long appliedIndex(int id) {
    return applied[id - 1];
  }

  /**
   * Ticks every node in lockstep, delivering after every tick, until one leads; returns its id.
   * (Ticking one node alone does not work with leaseReads: a node refuses votes for an election
   * timeout after it starts, since it may owe a lease it no longer remembers.)
   *
   * @throws IllegalStateException if no node wins within a few election timeouts
   */
  int elect() {
    int maxTicks = 8 * nodes.get(0).config().electionTicks();
    for (int t = 0; t < maxTicks; t++) {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).role() == Role.LEADER) {
          return i + 1;
        }
      }
      for (RaftNode n : nodes) {
        n.tick();
      }
      settle();
    }
    throw new IllegalStateException("no node won an election in " + maxTicks + " ticks");
  }

  /** Handles every Ready and delivers every message until nothing is left to do. */
  void settle() {
    for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      boolean busy = false;
      for (int i = 0; i < nodes.size(); i++) {
        RaftNode n = nodes.get(i);
        if (n.hasReady()) {
          handleReady(i, n);
          busy = true;
        }
      }
      while (!inFlight.isEmpty()) {
        Message m = inFlight.poll();
        node(m.to()).step(m);
        busy = true;
      }
      if (!busy) {
        return;
      }
    }
    throw new IllegalStateException(
        "the cluster did not settle in " + MAX_SETTLE_ROUNDS + " rounds");
  }

  private void handleReady(int i, RaftNode n) {
    Ready ready = n.ready();
    if (ready.mustPersist()) {
      stores.get(i).persist(ready.hardState(), ready.entries());
    }
    inFlight.addAll(ready.earlyMessages());
    inFlight.addAll(ready.messages());
    List<Entry> committed = ready.committedEntries();
    if (!committed.isEmpty()) {
      applied[i] = committed.get(committed.size() - 1).index();
    }
    n.advance(ready);
  }
}
