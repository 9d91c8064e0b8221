package io.raftkv.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The simulation suite: every variant, every scenario, many seeds (system property {@code
 * sim.seeds}, 1000 by default, spread over the scenarios; one seed in four runs 5 nodes). A failing
 * seed is printed with the one-line command that replays it ({@link #replay()}).
 */
class ClusterSimTest {
  static final List<String> VARIANTS = List.of("vanilla");

  static int seedCount() {
    return Integer.getInteger("sim.seeds", 1000);
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioStaysSafeAndLinearizable() {
    long scenarioCount = Stream.of(Scenario.values()).filter(ClusterSimTest::selected).count();
    int perScenario = (int) ((seedCount() + scenarioCount - 1) / scenarioCount);
    List<DynamicTest> tests = new ArrayList<>();
    for (String variant : VARIANTS) {
      Scenario[] scenarios = Scenario.values();
      for (int s = 0; s < scenarios.length; s++) {
        Scenario scenario = scenarios[s];
        if (!selected(scenario)) {
          continue;
        }
        long base = Long.getLong("sim.baseSeed", 1L) * 1_000_003L + s * 100_000L;
        tests.add(
            DynamicTest.dynamicTest(
                variant + " " + scenario + " x" + perScenario,
                () -> runSeeds(variant, scenario, base, perScenario)));
      }
    }
    return tests.stream();
  }

  /** {@code -Dsim.scenarios=LEADER_CHURN,CHAOS} limits a run to some scenarios. */
  private static boolean selected(Scenario scenario) {
    String only = System.getProperty("sim.scenarios", "");
    return only.isBlank() || List.of(only.split(",")).contains(scenario.name());
  }

  private static void runSeeds(String variant, Scenario scenario, long base, int count) {
    List<String> failures = new ArrayList<>();
    long completed = 0;
    for (int i = 0; i < count; i++) {
      long seed = base + i;
      int nodes = i % 4 == 3 ? 5 : 3;
      SimResult r = Simulation.run(SimSettings.of(seed, variant, nodes, scenario));
      completed += r.completed();
      if (!r.ok()) {
        failures.add(r.describe());
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + count + " seeds failed:\n" + String.join("\n", failures));
    }
    assertTrue(completed > 0, "no operation completed in any seed of " + scenario);
  }

  /** Replays one seed: {@code -Dsim.seed=N -Dsim.variant=V -Dsim.nodes=K -Dsim.scenario=S}. */
  @Test
  void replay() {
    String seed = System.getProperty("sim.seed");
    assumeTrue(seed != null, "set -Dsim.seed to replay a seed");
    SimSettings settings =
        SimSettings.of(
            Long.parseLong(seed),
            System.getProperty("sim.variant", "vanilla"),
            Integer.getInteger("sim.nodes", 3),
            Scenario.valueOf(System.getProperty("sim.scenario", "CHAOS")));
    SimResult r = Simulation.run(settings);
    System.out.println(r.describe());
    assertTrue(r.ok(), r.describe());
  }
}
