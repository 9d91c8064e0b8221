package io.raftkv.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An in-memory cluster of {@link RaftNode}s for tests, after etcd-io/raft's in-package network.
 * Messages are delivered synchronously and in order until the cluster is quiet; nothing sleeps and
 * no clock is read. Each node has a simulated stable store; handling a Ready follows its contract:
 * persist the hard state and entries, then send the messages, then apply, then advance.
 *
 * <p>After every handled Ready the network checks two safety properties: at most one leader per
 * term (Election Safety), and every node applies entries in index order, each once, agreeing with
 * every other node at each index (State Machine Safety).
 */
final class TestNetwork {
  /** Bound on delivery rounds in {@link #settle()}; a correct cluster settles far sooner. */
  private static final int MAX_SETTLE_ROUNDS = 10_000;

  /** What a node keeps across a crash, plus what its state machine applied in this life. */
  static final class Store {
    HardState hardState = HardState.INITIAL;
    final List<Entry> entries = new ArrayList<>();
    final List<Entry> applied = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();

    /** Persists a Ready's entries: an entry at or below the last index replaces the suffix. */
    void persist(HardState hs, List<Entry> newEntries) {
      if (hs != null) {
        hardState = hs;
      }
      for (Entry e : newEntries) {
        while (entries.size() >= e.index()) {
          entries.remove(entries.size() - 1);
        }
        assertEquals(entries.size() + 1, e.index(), "persisted log must stay contiguous");
        entries.add(e);
      }
    }
  }

  private final RaftConfig config;
  private final long seed;
  private final List<Integer> ids = new ArrayList<>();
  private final Map<Integer, RaftNode> nodes = new HashMap<>();
  private final Map<Integer, Store> stores = new HashMap<>();
  private final Set<Integer> down = new HashSet<>();
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Set<List<Integer>> droppedLinks = new HashSet<>();
  private final List<Predicate<Message>> dropFilters = new ArrayList<>();
  private final List<Message> delivered = new ArrayList<>();
  private final List<Message> dropped = new ArrayList<>();
  private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
  private final Map<Long, Entry> appliedAt = new HashMap<>();
  private int restarts;

  TestNetwork(int size, RaftConfig config, long seed) {
    this.config = config;
    this.seed = seed;
    for (int id = 1; id <= size; id++) {
      ids.add(id);
    }
    for (int id : ids) {
      stores.put(id, new Store());
      nodes.put(id, newNode(id));
    }
  }

  TestNetwork(int size, long seed) {
    this(size, RaftConfig.vanilla(), seed);
  }

  private RaftNode newNode(int id) {
    Store s = stores.get(id);
    return new RaftNode(
        config,
        id,
        ids,
        s.hardState,
        List.copyOf(s.entries),
        new SplittableRandom(seed * 1_000_003L + id * 7919L + restarts));
  }

  // ---------------------------------------------------------------- access

  RaftNode node(int id) {
    RaftNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  Store store(int id) {
    return stores.get(id);
  }

  List<Integer> ids() {
    return ids;
  }

  /** Every message delivered so far, in delivery order. */
  List<Message> delivered() {
    return delivered;
  }

  /** Every message dropped so far, in the order it would have been delivered. */
  List<Message> dropped() {
    return dropped;
  }

  /** Every entry any node has applied, by index (they must agree, see class comment). */
  Map<Long, Entry> appliedEntries() {
    return appliedAt;
  }

  /** The live node that leads the highest term, or 0 if there is none. */
  int leader() {
    int leader = 0;
    long best = -1;
    for (int id : ids) {
      RaftNode n = nodes.get(id);
      if (!down.contains(id) && n.role() == Role.LEADER && n.term() > best) {
        best = n.term();
        leader = id;
      }
    }
    return leader;
  }

  // ---------------------------------------------------------------- faults

  /** Drops every message from {@code from} to {@code to} (one direction) until {@link #recover}. */
  void drop(int from, int to) {
    droppedLinks.add(List.of(from, to));
  }

  /** Drops messages both ways between {@code a} and {@code b}. */
  void cut(int a, int b) {
    drop(a, b);
    drop(b, a);
  }

  /** Cuts {@code id} off from every other node. */
  void isolate(int id) {
    for (int other : ids) {
      if (other != id) {
        cut(id, other);
      }
    }
  }

  /** Drops every message of the given type. */
  void dropType(Class<? extends Message> type) {
    dropIf(type::isInstance);
  }

  /** Drops every message matching {@code filter}, evaluated when the message would arrive. */
  void dropIf(Predicate<Message> filter) {
    dropFilters.add(filter);
  }

  /** Heals every partition and removes every drop rule. */
  void recover() {
    droppedLinks.clear();
    dropFilters.clear();
  }

  /** Stops a node: it loses everything not in its store; messages to it are lost. */
  void crash(int id) {
    down.add(id);
  }

  /** Starts a node afresh from its store (crashing it first if it is up). */
  void restart(int id) {
    restarts++;
    down.remove(id);
    Store s = stores.get(id);
    s.applied.clear();
    nodes.put(id, newNode(id));
  }

  boolean isDown(int id) {
    return down.contains(id);
  }

  // ---------------------------------------------------------------- driving

  /** Queues a message as if a node had sent it (for duplicates and replays). */
  void send(Message m) {
    queue.addLast(m);
  }

  /** Ticks one node, then delivers until quiet. */
  void tick(int id) {
    if (!down.contains(id)) {
      node(id).tick();
    }
    settle();
  }

  /** Ticks one node {@code times} times, delivering after each tick. */
  void tick(int id, int times) {
    for (int i = 0; i < times; i++) {
      tick(id);
    }
  }

  /** Ticks every live node once, then delivers until quiet. */
  void tickAll() {
    for (int id : ids) {
      if (!down.contains(id)) {
        nodes.get(id).tick();
      }
    }
    settle();
  }

  /** Ticks every live node until {@code done} holds; returns the ticks taken. Fails past max. */
  int tickAllUntil(BooleanSupplier done, int maxTicks) {
    return tickUntil(ids, done, maxTicks);
  }

  /** Ticks the given live nodes until {@code done} holds; returns the ticks taken. */
  int tickUntil(Collection<Integer> which, BooleanSupplier done, int maxTicks) {
    for (int t = 0; t < maxTicks; t++) {
      if (done.getAsBoolean()) {
        return t;
      }
      for (int id : which) {
        if (!down.contains(id)) {
          nodes.get(id).tick();
        }
      }
      settle();
    }
    if (done.getAsBoolean()) {
      return maxTicks;
    }
    throw new AssertionError("condition not reached in " + maxTicks + " ticks: " + this);
  }

  /**
   * Ticks only {@code id} until it starts an election, so the others (not ticked) do not compete;
   * the node must then win. Works when the voters are not in a leader lease (fresh or restarted).
   */
  void elect(int id) {
    for (int t = 0; t < 4 * config.electionTicks() && node(id).role() == Role.FOLLOWER; t++) {
      tick(id);
    }
    assertEquals(Role.LEADER, node(id).role(), () -> "node " + id + " did not win: " + this);
  }

  /** Ticks the leader through one heartbeat interval, so followers learn its commit index. */
  void heartbeat(int leader) {
    tick(leader, config.heartbeatTicks());
  }

  /** Proposes one command at {@code leader}, then delivers until quiet. */
  ProposeResult propose(int leader, String command) {
    ProposeResult r = node(leader).propose(List.of(command.getBytes(UTF_8)));
    settle();
    return r;
  }

  /** Handles every Ready and delivers every message until nothing is left to do. */
  void settle() {
    for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      boolean busy = false;
      for (int id : ids) {
        RaftNode n = nodes.get(id);
        if (!down.contains(id) && n.hasReady()) {
          handleReady(id, n);
          busy = true;
        }
      }
      List<Message> batch = new ArrayList<>(queue);
      queue.clear();
      for (Message m : batch) {
        deliver(m);
        busy = true;
      }
      if (!busy) {
        return;
      }
    }
    fail("cluster did not settle in " + MAX_SETTLE_ROUNDS + " rounds: " + this);
  }

  private void deliver(Message m) {
    if (down.contains(m.to()) || down.contains(m.from()) || isDropped(m)) {
      dropped.add(m);
      return;
    }
    delivered.add(m);
    nodes.get(m.to()).step(m);
  }

  private boolean isDropped(Message m) {
    if (droppedLinks.contains(List.of(m.from(), m.to()))) {
      return true;
    }
    for (Predicate<Message> f : dropFilters) {
      if (f.test(m)) {
        return true;
      }
    }
    return false;
  }

  /** Handles one Ready in the order its contract demands. */
  private void handleReady(int id, RaftNode n) {
    Ready rd = n.ready();
    Store s = stores.get(id);
    queue.addAll(rd.earlyMessages());
    s.persist(rd.hardState(), rd.entries());
    queue.addAll(rd.messages());
    for (Entry e : rd.committedEntries()) {
      long expected = s.applied.isEmpty() ? 1 : s.applied.get(s.applied.size() - 1).index() + 1;
      assertEquals(expected, e.index(), () -> "node " + id + " applied out of order: " + e);
      Entry before = appliedAt.putIfAbsent(e.index(), e);
      if (before != null) {
        assertEquals(before, e, "two nodes applied different entries at " + e.index());
      }
      s.applied.add(e);
    }
    s.readStates.addAll(rd.readStates());
    n.advance(rd);
    checkElectionSafety();
  }

  private void checkElectionSafety() {
    for (int id : ids) {
      RaftNode n = nodes.get(id);
      if (!down.contains(id) && n.role() == Role.LEADER) {
        Integer before = leaderOfTerm.putIfAbsent(n.term(), id);
        if (before != null && before != id) {
          fail("two leaders in term " + n.term() + ": " + before + " and " + id);
        }
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int id : ids) {
      b.append(down.contains(id) ? "DOWN " : "").append(nodes.get(id)).append('\n');
    }
    return b.toString();
  }
}
