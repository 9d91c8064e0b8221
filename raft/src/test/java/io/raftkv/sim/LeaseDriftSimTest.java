package io.raftkv.sim;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.core.RaftConfig;
import io.raftkv.history.OpType;
import io.raftkv.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Can the simulation see a lease bug? Clock drift beyond what the lease allows for is one: a leader
 * whose clock runs slow holds its lease after followers whose clocks run fast have elected another
 * leader. In {@link Scenario#LEADER_ISOLATED_WITH_READERS} read-only clients keep reading from the
 * isolated leader while the other clients write through the new one, so such a stale lease shows as
 * a read the linearizability checker cannot place.
 *
 * <p>Both controls use adversarial drift ({@link SimSettings#adversarialDrift()}): every node runs
 * slow by the drift rate while it leads and fast otherwise. With a random rate per node a stale
 * lease is rare even far beyond the bound, because the node with the fastest clock times out first
 * and tends to be the leader (0 of 200 seeds at a random 0.45). The negative control runs at 0.45,
 * almost seven times the default bound, and must catch a stale read in at least one of {@link
 * #SEEDS} seeds; the positive control runs the same seeds at the default bound ({@link
 * SimSettings#safeDriftRate}), the worst case the lease is designed for, and must find every one
 * linearizable.
 */
class LeaseDriftSimTest {
  static final int SEEDS = 200;

  /** Far beyond the bound: a slow leader's 12-tick lease outlasts fast followers' 15 ticks. */
  static final double BROKEN_DRIFT = 0.45;

  private static final Map<String, String> LEASE_READS = Map.of("leaseReads", "true");

  private static SimSettings settings(long seed, String variant, Map<String, String> set) {
    SimSettings s =
        SimSettings.of(9_000_000L + seed, variant, set, 3, Scenario.LEADER_ISOLATED_WITH_READERS);
    return s.withDrift(s.driftRate(), true);
  }

  @Test
  void driftBeyondTheBoundLetsTheIsolatedLeaderServeAStaleRead() {
    double safe = SimSettings.safeDriftRate(RaftConfig.vanilla().withSetting("leaseReads", "true"));
    assertTrue(BROKEN_DRIFT > 5 * safe, "the control must really break the bound " + safe);
    int caught = 0;
    SimResult first = null;
    for (int i = 0; i < SEEDS; i++) {
      SimResult r =
          Simulation.run(settings(i, "vanilla", LEASE_READS).withDrift(BROKEN_DRIFT, true));
      assertNull(r.violation(), "drift must not break log safety: " + r.describe());
      if (!r.check().linearizable()) {
        assertTrue(aReadIsUnplaceable(r), "expected a stale read:\n" + r.describe());
        caught++;
        if (first == null) {
          first = r;
        }
      }
    }
    System.out.println(
        "lease drift negative control: "
            + caught
            + " of "
            + SEEDS
            + " seeds caught a stale read at adversarial drift rate "
            + BROKEN_DRIFT
            + (first == null ? "" : "; first: seed " + first.settings().seed()));
    if (first == null) {
      fail(
          "no stale read in "
              + SEEDS
              + " seeds at drift rate "
              + BROKEN_DRIFT
              + ": the suite cannot see leases that outlive their leadership");
    }
    System.out.println(first.describe());
  }

  /** Whether the checker's unplaceable operations include a completed get: a stale read. */
  private static boolean aReadIsUnplaceable(SimResult r) {
    for (Operation op : r.check().operations()) {
      if (op.type() == OpType.GET && !op.unknown()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void atTheDefaultBoundTheSameSeedsAreLinearizable() {
    List<String> failures = new ArrayList<>();
    // Lease reads alone, and with every other optimization (the optimized preset).
    for (String variant : List.of("vanilla", "optimized")) {
      for (int i = 0; i < SEEDS; i++) {
        SimResult r = Simulation.run(settings(i, variant, LEASE_READS));
        if (!r.ok()) {
          failures.add(r.describe());
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " seeds failed:\n" + String.join("\n", failures));
    }
  }
}
