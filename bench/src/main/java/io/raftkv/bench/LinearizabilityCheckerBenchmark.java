package io.raftkv.bench;

import io.raftkv.history.CheckResult;
import io.raftkv.history.LinearizabilityChecker;
import io.raftkv.history.Operation;
import io.raftkv.sim.Scenario;
import io.raftkv.sim.SimResult;
import io.raftkv.sim.SimSettings;
import io.raftkv.sim.Simulation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One {@link LinearizabilityChecker#check} of a history of exactly {@code operations} operations by
 * {@value #CLIENTS} closed-loop clients on {@value #KEYS} keys, recorded by the deterministic
 * simulator (vanilla, 3 nodes, seed {@value #SEED}) under {@code scenario}: {@code STEADY} has
 * almost no unknown outcomes, {@code CHAOS} many, which widens the search.
 *
 * <p>The history is the simulator's cut at the call of operation {@code operations + 1} (by call
 * time): later calls are dropped and operations still running at the cut become unknown, which
 * keeps a linearizable history linearizable. Setup checks that it is, so a wrong verdict fails the
 * run instead of timing it.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LinearizabilityCheckerBenchmark extends RaftkvBenchmark {
  static final long SEED = 20_251_203;
  static final int CLIENTS = 4;
  static final int KEYS = 3;

  @Param({"1000", "3000"})
  public int operations;

  /** A {@link Scenario} name. */
  @Param({"STEADY", "CHAOS"})
  public String scenario;

  private List<Operation> history;

  @Setup
  public void recordHistory() {
    List<Operation> recorded = simulate(Scenario.valueOf(scenario), operations);
    history = cut(recorded, operations);
    CheckResult verdict = LinearizabilityChecker.check(history);
    if (!verdict.linearizable()) {
      throw new IllegalStateException("the benchmark history is not linearizable: " + verdict);
    }
  }

  /** Runs the simulator with ever longer load until it records more than {@code size} ops. */
  private static List<Operation> simulate(Scenario scenario, int size) {
    for (long loadMillis = 1_000; ; loadMillis *= 2) {
      SimResult r =
          Simulation.run(
              new SimSettings(SEED, "vanilla", 3, scenario, CLIENTS, KEYS, loadMillis, 3_000));
      if (!r.ok()) {
        throw new IllegalStateException("the simulation failed: " + r.describe());
      }
      if (r.history().size() > size) {
        return r.history();
      }
    }
  }

  /**
   * The first {@code size} operations by call time; those not returned by the next call unknown.
   */
  private static List<Operation> cut(List<Operation> recorded, int size) {
    List<Operation> byCall = new ArrayList<>(recorded);
    byCall.sort(Comparator.comparingLong(Operation::callNanos));
    long cutAt = byCall.get(size).callNanos();
    List<Operation> kept = new ArrayList<>(size);
    for (Operation op : byCall.subList(0, size)) {
      boolean running = op.unknown() || op.returnNanos() > cutAt;
      kept.add(running && !op.unknown() ? op.withUnknown() : op);
    }
    return List.copyOf(kept);
  }

  @Benchmark
  public CheckResult check() {
    return LinearizabilityChecker.check(history);
  }
}
