package io.raftkv.sim;

import io.raftkv.core.Role;
import io.raftkv.fastpath.FastPathReplica;
import io.raftkv.fastpath.Supermajority;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Injects the faults of a {@link Scenario} at random virtual times during the load phase, and
 * undoes them all when it ends ({@link #healAll()}).
 */
final class Nemesis {
  private final Scenario scenario;
  private final EventQueue events;
  private final SimNetwork network;
  private final List<SimNode> nodes;
  private final SplittableRandom random;
  private final Set<Integer> all = new HashSet<>();
  private final Set<Integer> readerClients;
  private final Set<Integer> everyEndpoint = new HashSet<>();
  private final Set<Integer> clientEndpoints = new HashSet<>();
  private long stopAt;
  private long lastChurnedTerm;
  private long quietUntil;
  private long recoveriesCutOff;

  Nemesis(
      Scenario scenario,
      EventQueue events,
      SimNetwork network,
      List<SimNode> nodes,
      Set<Integer> readerClients,
      Set<Integer> writerClients,
      SplittableRandom random) {
    this.scenario = scenario;
    this.events = events;
    this.network = network;
    this.nodes = nodes;
    this.random = random;
    nodes.forEach(n -> all.add(n.id));
    this.readerClients = Set.copyOf(readerClients);
    everyEndpoint.addAll(all);
    everyEndpoint.addAll(readerClients);
    everyEndpoint.addAll(writerClients);
    clientEndpoints.addAll(readerClients);
    clientEndpoints.addAll(writerClients);
  }

  /** Leaders isolated while they recovered the durability logs ({@code FAST_PATH_*}). */
  long recoveriesCutOff() {
    return recoveriesCutOff;
  }

  void start(long stopAtMicros) {
    this.stopAt = stopAtMicros;
    switch (scenario) {
      case LOSSY -> network.setLoss(0.10 + 0.20 * random.nextDouble(), 0);
      case DUPLICATE_REORDER -> {
        network.setLoss(0, 0.10 + 0.20 * random.nextDouble());
        network.setDelay(50, 5_000);
      }
      case CHAOS -> network.setLoss(0.05, 0.05);
      default -> {}
    }
    if (scenario == Scenario.LEADER_CHURN) {
      events.after(1_000, this::watchForNewLeaders);
    } else if (scenario == Scenario.FAST_PATH_LEADER_CRASH
        || scenario == Scenario.FAST_PATH_RECOVERY_PARTITION) {
      events.after(1_000, this::watchFastPathLeader);
    } else {
      scheduleNext();
    }
  }

  /** LEADER_CHURN: every new leader crashes, half of them within 10 ms of winning. */
  private void watchForNewLeaders() {
    if (events.now() >= stopAt) {
      return;
    }
    SimNode leader = leader();
    if (leader != null && leader.raft().term() > lastChurnedTerm) {
      lastChurnedTerm = leader.raft().term();
      long term = leader.raft().term();
      // Half the leaders die young, log-uniformly within 0.1 to 10 ms: before their no-op leaves,
      // or while old entries are being re-replicated. The others reign up to 400 ms.
      long lifetime =
          random.nextBoolean()
              ? (long) (100 * Math.exp(random.nextDouble() * Math.log(100)))
              : random.nextLong(400_000);
      events.after(
          lifetime,
          () -> {
            if (leader.isUp() && leader.raft().term() == term) {
              leader.crash();
              events.after(20_000 + random.nextLong(300_000), () -> restart(leader));
            }
          });
    }
    events.after(500, this::watchForNewLeaders);
  }

  /**
   * Watches the leader's fast path every 0.1 ms. FAST_PATH_LEADER_CRASH: crashes the leader as soon
   * as its durability log holds updates, at most once every 0.2 to 0.6 s; it restarts 20 to 300 ms
   * later. FAST_PATH_RECOVERY_PARTITION: cuts a leader that is still recovering off from the other
   * nodes (not from the clients) for 50 to 400 ms, one partition at a time.
   */
  private void watchFastPathLeader() {
    if (events.now() >= stopAt) {
      return;
    }
    SimNode leader = leader();
    FastPathReplica fastPath = leader == null ? null : leader.fastPath();
    if (events.now() >= quietUntil && fastPath != null) {
      if (scenario == Scenario.FAST_PATH_LEADER_CRASH && !fastPath.log().isEmpty()) {
        quietUntil = events.now() + 200_000 + random.nextLong(400_000);
        leader.crash();
        events.after(20_000 + random.nextLong(280_000), () -> restart(leader));
      } else if (scenario == Scenario.FAST_PATH_RECOVERY_PARTITION && !fastPath.serving()) {
        long cut = 50_000 + random.nextLong(350_000);
        quietUntil = events.now() + cut + 1;
        recoveriesCutOff++;
        network.partition(Set.of(leader.id), all);
        events.after(cut, network::heal);
      }
    }
    events.after(100, this::watchFastPathLeader);
  }

  /**
   * FAST_PATH_PARTIAL_ACKS: the clients lose their links to enough followers that fewer than a
   * supermajority can accept; the leader crashes 1 to 20 ms later; the links heal after 0.1 to 0.4
   * s.
   */
  private void partialAcksThenLeaderCrash() {
    SimNode leader = leader();
    if (leader == null) {
      return;
    }
    int cutCount = nodes.size() - new Supermajority(nodes.size()).size() + 1;
    List<Integer> followers = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n != leader) {
        followers.add(n.id);
      }
    }
    Set<Integer> cutOff = new HashSet<>();
    while (cutOff.size() < Math.min(cutCount, followers.size())) {
      cutOff.add(followers.get(random.nextInt(followers.size())));
    }
    for (int node : cutOff) {
      for (int client : clientEndpoints) {
        network.cut(client, node);
        network.cut(node, client);
      }
    }
    events.after(1_000 + random.nextLong(19_000), () -> crash(leader, true));
    events.after(100_000 + random.nextLong(300_000), network::heal);
  }

  private void scheduleNext() {
    long delay = 300_000 + random.nextLong(900_000);
    if (events.now() + delay < stopAt) {
      events.after(delay, this::strike);
    }
  }

  private void strike() {
    switch (scenario) {
      case LEADER_CRASH -> crash(leader(), true);
      case FOLLOWER_RESTART -> crash(follower(), true);
      case LEADER_ISOLATED -> isolate(leader());
      case LEADER_ISOLATED_WITH_READERS -> isolateWithReaders(leader());
      case ONE_WAY_PARTITION -> oneWay();
      case CHAOS -> chaos();
      case FAST_PATH_PARTIAL_ACKS -> partialAcksThenLeaderCrash();
      default -> {}
    }
    scheduleNext();
  }

  private void chaos() {
    switch (random.nextInt(5)) {
      case 0 -> crash(randomNode(), false);
      case 1 -> isolate(leader());
      case 2 -> oneWay();
      case 3 -> splitRandomly();
      default -> crash(leader(), true);
    }
  }

  /** Crashes a node and restarts it later; keeps a majority up unless {@code anyCount}. */
  private void crash(SimNode node, boolean keepMajority) {
    if (node == null || !node.isUp()) {
      return;
    }
    long down = nodes.stream().filter(n -> !n.isUp()).count();
    if (keepMajority && down + 1 > (nodes.size() - 1) / 2) {
      return;
    }
    node.crash();
    events.after(100_000 + random.nextLong(700_000), () -> restart(node));
  }

  private void restart(SimNode node) {
    if (!node.isUp()) {
      node.start();
    }
  }

  private void isolate(SimNode node) {
    if (node == null) {
      return;
    }
    partitionForAWhile(Set.of(node.id), all);
  }

  /** Cuts the leader and the read-only clients off from the other nodes and clients. */
  private void isolateWithReaders(SimNode leader) {
    if (leader == null) {
      return;
    }
    Set<Integer> side = new HashSet<>(readerClients);
    side.add(leader.id);
    partitionForAWhile(side, everyEndpoint);
  }

  private void oneWay() {
    SimNode leader = leader();
    SimNode follower = follower();
    if (leader == null || follower == null) {
      return;
    }
    if (random.nextBoolean()) {
      network.cut(leader.id, follower.id);
    } else {
      network.cut(follower.id, leader.id);
    }
    events.after(300_000 + random.nextLong(900_000), network::heal);
  }

  private void splitRandomly() {
    Set<Integer> side = new HashSet<>();
    for (SimNode n : nodes) {
      if (random.nextBoolean()) {
        side.add(n.id);
      }
    }
    partitionForAWhile(side, all);
  }

  /** Cuts {@code side} off from the rest of {@code everyone}; heals in 0.3 to 1.2 s. */
  private void partitionForAWhile(Set<Integer> side, Set<Integer> everyone) {
    network.partition(side, everyone);
    events.after(300_000 + random.nextLong(900_000), network::heal);
  }

  /** Ends every fault: the network heals and every crashed node restarts. */
  void healAll() {
    network.heal();
    network.setLoss(0, 0);
    network.setDelay(100, 1_000);
    for (SimNode n : nodes) {
      restart(n);
    }
  }

  private SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes) {
      if (n.isUp()
          && n.raft().role() == Role.LEADER
          && (best == null || n.raft().term() > best.raft().term())) {
        best = n;
      }
    }
    return best;
  }

  private SimNode follower() {
    SimNode leader = leader();
    List<SimNode> candidates = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.isUp() && n != leader) {
        candidates.add(n);
      }
    }
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  private SimNode randomNode() {
    return nodes.get(random.nextInt(nodes.size()));
  }
}
