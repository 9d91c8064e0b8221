package io.raftkv.sim;

import io.raftkv.core.RaftConfig;
import io.raftkv.core.Role;
import io.raftkv.history.CheckResult;
import io.raftkv.history.LinearizabilityChecker;
import io.raftkv.history.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of a whole cluster with clients, on one thread and a virtual clock.
 * Nodes, network, disks, clients and faults all draw from one seeded generator, and events run in
 * (time, sequence) order, so a seed replays exactly. After every event the Raft safety properties
 * are checked ({@link SafetyInvariants}); at the end the client history is checked for
 * linearizability.
 */
public final class Simulation {
  private static final int CLIENT_ENDPOINT_BASE = 1000;
  private static final long MAX_EVENTS = 20_000_000;

  private final SimSettings settings;
  private final EventQueue events = new EventQueue();
  private final SplittableRandom random;
  private final SimNetwork network;
  private final SafetyInvariants invariants = new SafetyInvariants();
  private final List<SimNode> nodes = new ArrayList<>();
  private final List<SimClient> clients = new ArrayList<>();
  private final History history = new History(events);
  private long nextClientId = 1;
  private long eventCount;

  private Simulation(SimSettings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.network = new SimNetwork(events, random.split());
  }

  /** Runs one simulation to the end and reports what it found. */
  public static SimResult run(SimSettings settings) {
    return new Simulation(settings).execute();
  }

  private SimResult execute() {
    RaftConfig config = settings.config();
    List<Integer> ids = new ArrayList<>();
    for (int i = 1; i <= settings.nodes(); i++) {
      ids.add(i);
    }
    for (int id : ids) {
      nodes.add(
          new SimNode(
              id,
              config,
              ids,
              events,
              network,
              random.split(),
              invariants,
              settings.driftRate(),
              settings.adversarialDrift()));
    }
    // A client waits about one minimum election timeout before trying another node.
    long timeoutMicros = 1000L * config.electionTicks() * config.tickMillis();
    Set<Integer> readers = new HashSet<>();
    Set<Integer> writers = new HashSet<>();
    for (int c = 0; c < settings.clients(); c++) {
      boolean readOnly = settings.scenario().readOnlyClient(c);
      (readOnly ? readers : writers).add(CLIENT_ENDPOINT_BASE + c);
      clients.add(
          new SimClient(
              c,
              CLIENT_ENDPOINT_BASE + c,
              events,
              network,
              random.split(),
              ids,
              history,
              () -> nextClientId++,
              settings.keys(),
              timeoutMicros,
              6 * timeoutMicros,
              readOnly,
              config.nilextFastPath(),
              settings.fastPathTimeoutMicros(),
              settings.fastPathFault()));
    }
    Nemesis nemesis =
        new Nemesis(settings.scenario(), events, network, nodes, readers, writers, random.split());
    nodes.forEach(SimNode::start);
    long loadEnd = settings.loadMillis() * 1000;
    long end = loadEnd + settings.drainMillis() * 1000;
    // Clients go on into the first half of the drain, so liveness after healing is observable.
    long healedAt = loadEnd;
    clients.forEach(c -> c.start(loadEnd + settings.drainMillis() * 500));
    nemesis.start(loadEnd);

    String violation = runUntil(loadEnd);
    if (violation == null) {
      nemesis.healAll();
      violation = runUntil(end);
    }
    if (violation == null && settings.clients() > 0 && completedCalledAfter(healedAt) == 0) {
      violation =
          "no operation completed in the "
              + settings.drainMillis()
              + " ms after healing; nodes: "
              + nodes.stream().map(n -> n.isUp() ? n.raft().toString() : n.id + " down").toList();
    }
    clients.forEach(SimClient::abandon);
    List<Operation> ops = history.operations();
    CheckResult check = violation == null ? LinearizabilityChecker.check(ops) : null;
    long unknown = ops.stream().filter(Operation::unknown).count();
    return new SimResult(
        settings,
        violation,
        check,
        ops,
        ops.size() - unknown,
        unknown,
        eventCount,
        fastPathStats(nemesis));
  }

  /** What the fast path did in this run, for tests that check a path was exercised. */
  private SimResult.FastPathStats fastPathStats(Nemesis nemesis) {
    long restarts = 0;
    long deferred = 0;
    long busy = 0;
    long pendingAtEnd = 0;
    long leaderPendingAtEnd = -1;
    SimNode leader = null;
    for (SimNode n : nodes) {
      restarts += n.restartsWithDurabilityLog();
      deferred += n.readsDeferred();
      busy += n.busyAnswers();
      if (n.isUp() && n.fastPath() != null) {
        pendingAtEnd += n.fastPath().log().size();
        if (n.raft().role() == Role.LEADER
            && (leader == null || n.raft().term() > leader.raft().term())) {
          leader = n;
        }
      }
    }
    if (leader != null) {
      leaderPendingAtEnd = leader.fastPath().log().size();
    }
    long completed = clients.stream().mapToLong(SimClient::fastPathCompleted).sum();
    long fallBacks = clients.stream().mapToLong(SimClient::fallBacks).sum();
    return new SimResult.FastPathStats(
        completed,
        fallBacks,
        restarts,
        deferred,
        busy,
        nemesis.recoveriesCutOff(),
        pendingAtEnd,
        leaderPendingAtEnd);
  }

  /** Operations called after virtual time {@code micros} that completed. */
  private long completedCalledAfter(long micros) {
    return history.operations().stream()
        .filter(o -> !o.unknown() && o.callNanos() >= micros * 1000)
        .count();
  }

  private String runUntil(long time) {
    while (true) {
      try {
        if (!events.runNext(time)) {
          break;
        }
      } catch (RuntimeException e) {
        return "exception at virtual time " + events.now() + " us: " + e;
      }
      eventCount++;
      invariants.afterEvent(nodes);
      if (invariants.violation() != null) {
        return invariants.violation() + " (at virtual time " + events.now() + " us)";
      }
      if (eventCount > MAX_EVENTS) {
        return "event budget of " + MAX_EVENTS + " exceeded";
      }
    }
    events.advanceTo(time);
    return null;
  }
}
