package io.raftkv.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Targeted simulations of the fast path (Skyros; DESIGN.md "Fast path"), beside the whole suite
 * that {@link ClusterSimTest} runs for {@code fastpath}. Each runs a bounded number of seeds, half
 * with 3 nodes and half with 5, and asserts both that the history stayed linearizable with every
 * Raft safety property intact, and that the run exercised what it targets (a counter of the path
 * above zero), so a test cannot pass by never reaching its situation. A failing seed is printed
 * with its replay command. The negative control injects a fault ({@link FastPathFault}) and must
 * see the suite fail.
 *
 * <p>Ordering is made slow in most of them ({@code orderDelayTicks=50}: half a second), so
 * completed updates live only in durability logs for a long time.
 */
class FastPathSimTest {
  private static final Map<String, String> SLOW_ORDERING = slowOrdering();

  private static Map<String, String> slowOrdering() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("orderDelayTicks", "50");
    m.put("orderBatchSize", "1000");
    return m;
  }

  private static int seeds() {
    return Integer.getInteger("sim.fastPathSeeds", 12);
  }

  /**
   * Runs {@code count} seeds from {@code base} of {@code fastpath} under {@code scenario}, odd
   * seeds with 5 nodes unless {@code threeNodesOnly}.
   */
  private static List<SimResult> simulate(
      long base,
      int count,
      boolean threeNodesOnly,
      Scenario scenario,
      Map<String, String> settings,
      UnaryOperator<SimSettings> tweak) {
    List<SimResult> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int nodes = i % 2 == 1 && !threeNodesOnly ? 5 : 3;
      results.add(
          Simulation.run(
              tweak.apply(SimSettings.of(base + i, "fastpath", settings, nodes, scenario))));
    }
    return results;
  }

  /**
   * {@link #simulate} with 3 and 5 nodes; fails with every failing seed's report and replay
   * command, and returns the fast-path counters summed over the seeds.
   */
  private static SimResult.FastPathStats runSeeds(
      long base,
      int count,
      Scenario scenario,
      Map<String, String> settings,
      UnaryOperator<SimSettings> tweak) {
    List<String> failures = new ArrayList<>();
    SimResult.FastPathStats totals = SimResult.FastPathStats.NONE;
    for (SimResult r : simulate(base, count, false, scenario, settings, tweak)) {
      if (!r.ok()) {
        failures.add(r.describe());
      }
      totals = totals.plus(r.fastPath());
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + count + " seeds failed:\n" + String.join("\n", failures));
    }
    System.out.println(scenario + " " + settings + ": " + totals);
    return totals;
  }

  private static SimResult.FastPathStats runSeeds(
      long base, Scenario scenario, Map<String, String> settings) {
    return runSeeds(base, seeds(), scenario, settings, s -> s);
  }

  /**
   * (a) The leader crashes as soon as its durability log holds updates, while ordering is slow:
   * completed writes exist only in durability logs at the crash, and none may be lost.
   */
  @Test
  void writesCompletedOnTheFastPathSurviveALeaderCrashBeforeTheyAreOrdered() {
    SimResult.FastPathStats t = runSeeds(7_100_000, Scenario.FAST_PATH_LEADER_CRASH, SLOW_ORDERING);
    assertTrue(t.completed() > 0, "no update completed on the fast path: " + t);
    assertTrue(t.restartsWithDurabilityLog() > 0, "no crashed leader held a durability log: " + t);
    assertEquals(0, t.leaderPendingAtEnd(), "the healed leader still holds updates: " + t);
  }

  /**
   * (b) Updates acknowledged by fewer than a supermajority (the clients are cut off from some
   * followers), then a leader crash: their outcome is unknown to the client until the ordered path
   * answers, and the history must stay linearizable whichever way the recovery decides.
   */
  @Test
  void updatesAcknowledgedByFewerThanASupermajorityThenALeaderCrashStayLinearizable() {
    SimResult.FastPathStats t = runSeeds(7_200_000, Scenario.FAST_PATH_PARTIAL_ACKS, SLOW_ORDERING);
    assertTrue(t.fallBacks() > 0, "no update fell back from the fast path: " + t);
    assertTrue(t.completed() > 0, "no update completed on the fast path: " + t);
  }

  /**
   * (c) Many clients writing one key at once, through leader crashes (half the seeds: checking one
   * key's many concurrent operations is the costly part).
   */
  @Test
  void concurrentWritesToOneKeyFromManyClients() {
    SimResult.FastPathStats t =
        runSeeds(7_300_000, seeds() / 2, Scenario.LEADER_CRASH, Map.of(), s -> s.withClients(8, 1));
    assertTrue(t.completed() > 0, "no update completed on the fast path: " + t);
    assertTrue(t.fallBacks() > 0, "contention made no update fall back: " + t);
  }

  /**
   * (d) Read-after-write of a pending key: with slow ordering a read at the leader finds the key
   * pending, forces the ordering and waits for it to apply; reads must see the completed writes.
   */
  @Test
  void aReadOfAPendingKeyWaitsForItsOrdering() {
    SimResult.FastPathStats t =
        runSeeds(7_400_000, seeds(), Scenario.STEADY, SLOW_ORDERING, s -> s.withClients(4, 1));
    assertTrue(t.readsDeferred() > 0, "no read found its key pending: " + t);
    assertTrue(t.completed() > 0, "no update completed on the fast path: " + t);
    assertEquals(0, t.leaderPendingAtEnd(), "the leader still holds updates at the end: " + t);
  }

  /** (e) Replicas crash and restart with non-empty durability logs, restored from their disks. */
  @Test
  void replicasRestartWithNonEmptyDurabilityLogs() {
    SimResult.FastPathStats t = runSeeds(7_500_000, Scenario.FOLLOWER_RESTART, SLOW_ORDERING);
    assertTrue(
        t.restartsWithDurabilityLog() > 0, "no replica restarted with a durability log: " + t);
    assertEquals(0, t.leaderPendingAtEnd(), "the healed leader still holds updates: " + t);
  }

  /**
   * (f) Partitions during recovery: every new leader is isolated while it collects the durability
   * logs; ordered requests meanwhile are answered "busy" and retried.
   */
  @Test
  void partitionsWhileANewLeaderRecoversTheDurabilityLogs() {
    SimResult.FastPathStats t =
        runSeeds(7_600_000, Scenario.FAST_PATH_RECOVERY_PARTITION, SLOW_ORDERING);
    assertTrue(t.recoveriesCutOff() > 0, "no leader was isolated while recovering: " + t);
    assertTrue(t.completed() > 0, "no update completed on the fast path: " + t);
    assertEquals(0, t.leaderPendingAtEnd(), "the healed leader still holds updates: " + t);
  }

  /**
   * Negative control: clients that complete on a plain majority instead of a supermajority (a fault
   * injected into the simulated client only) must be caught losing writes, within a bounded number
   * of seeds of the partial-acknowledgment scenario with 3 nodes. The positive control is {@link
   * #updatesAcknowledgedByFewerThanASupermajorityThenALeaderCrashStayLinearizable}.
   */
  @Test
  void completingOnAPlainMajorityIsCaught() {
    int count = Integer.getInteger("sim.negativeSeeds", 40);
    long base = 7_700_000;
    int caught = 0;
    long first = -1;
    for (SimResult r :
        simulate(
            base,
            count,
            true,
            Scenario.FAST_PATH_PARTIAL_ACKS,
            SLOW_ORDERING,
            s -> s.withFastPathFault(FastPathFault.COMPLETE_ON_MAJORITY))) {
      if (!r.ok()) {
        caught++;
        if (first < 0) {
          first = r.settings().seed();
          System.out.println("negative control caught:\n" + r.describe());
        }
      }
    }
    System.out.println(
        "completing on a majority: " + caught + " of " + count + " seeds caught, first " + first);
    assertTrue(
        caught > 0,
        "completing on a plain majority went unnoticed in " + count + " seeds: the suite is blind");
  }
}
