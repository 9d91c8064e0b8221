package io.raftkv.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftkv.core.RaftConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The simulation suite: every configuration, every scenario, many seeds, at the clock drift the
 * lease is designed to tolerate ({@link SimSettings#safeDriftRate}). The configurations are every
 * preset of {@link RaftConfig#PRESETS} with {@code sim.seeds} seeds (1000 by default) and vanilla
 * with each flag of {@link RaftConfig#FLAGS} switched on alone ({@code vanilla+leaseReads}) with
 * {@code sim.flagSeeds} seeds (by default 30 percent of {@code sim.seeds}: 300), spread over the
 * scenarios; one seed in four runs 5 nodes. {@code -Dsim.configs=vanilla,vanilla+leaseReads} and
 * {@code -Dsim.scenarios=LEADER_CHURN,CHAOS} narrow a run. A failing seed is printed with the
 * one-line command that replays it ({@link #replay()}). Configurations the simulator cannot drive
 * ({@link SimSettings#unsupported}: none today) would appear as skipped tests with the reason. The
 * scenarios aimed at the fast path ({@link Scenario#fastPathOnly()}) run in {@link
 * FastPathSimTest}.
 */
class ClusterSimTest {

  /** One configuration of the suite: a preset, settings applied to it, and its seed count. */
  record Configuration(String variant, Map<String, String> settings, int seeds) {
    String label() {
      return SimSettings.label(variant, settings);
    }
  }

  static int seedCount() {
    return Integer.getInteger("sim.seeds", 1000);
  }

  static int flagSeedCount() {
    return Integer.getInteger("sim.flagSeeds", Math.max(1, seedCount() * 3 / 10));
  }

  /** Every preset with the full seed count, then vanilla with each flag alone. */
  static List<Configuration> configurations() {
    List<Configuration> out = new ArrayList<>();
    for (String preset : RaftConfig.PRESETS) {
      out.add(new Configuration(preset, Map.of(), seedCount()));
    }
    for (String flag : RaftConfig.FLAGS) {
      out.add(new Configuration("vanilla", Map.of(flag, "true"), flagSeedCount()));
    }
    String only = System.getProperty("sim.configs", "");
    return out.stream()
        .filter(c -> only.isBlank() || List.of(only.split(",")).contains(c.label()))
        .toList();
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioStaysSafeAndLinearizable() {
    long scenarioCount = Stream.of(Scenario.values()).filter(ClusterSimTest::selected).count();
    List<DynamicTest> tests = new ArrayList<>();
    for (Configuration config : configurations()) {
      String unsupported =
          SimSettings.unsupported(RaftConfig.of(config.variant(), config.settings()));
      if (unsupported != null) {
        // Shown as skipped, with the reason, rather than run as a variant it is not.
        tests.add(
            DynamicTest.dynamicTest(
                config.label() + " (not simulated)",
                () -> assumeTrue(false, config.label() + ": " + unsupported)));
        continue;
      }
      int perScenario = (int) ((config.seeds() + scenarioCount - 1) / scenarioCount);
      Scenario[] scenarios = Scenario.values();
      for (int s = 0; s < scenarios.length; s++) {
        Scenario scenario = scenarios[s];
        if (!selected(scenario)) {
          continue;
        }
        long base = Long.getLong("sim.baseSeed", 1L) * 1_000_003L + s * 100_000L;
        tests.add(
            DynamicTest.dynamicTest(
                config.label() + " " + scenario + " x" + perScenario,
                () -> runSeeds(config, scenario, base, perScenario)));
      }
    }
    return tests.stream();
  }

  /**
   * {@code -Dsim.scenarios=LEADER_CHURN,CHAOS} limits a run to some scenarios; the fast-path
   * scenarios run in {@link FastPathSimTest}.
   */
  private static boolean selected(Scenario scenario) {
    String only = System.getProperty("sim.scenarios", "");
    return !scenario.fastPathOnly()
        && (only.isBlank() || List.of(only.split(",")).contains(scenario.name()));
  }

  private static void runSeeds(Configuration config, Scenario scenario, long base, int count) {
    List<String> failures = new ArrayList<>();
    long completed = 0;
    for (int i = 0; i < count; i++) {
      long seed = base + i;
      int nodes = i % 4 == 3 ? 5 : 3;
      SimResult r =
          Simulation.run(
              SimSettings.of(seed, config.variant(), config.settings(), nodes, scenario));
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

  /**
   * Replays one seed: {@code -Dsim.seed=N -Dsim.variant=V [-Dsim.set=flag=true,...]
   * [-Dsim.drift=RATE] [-Dsim.adversarialDrift=true] [-Dsim.clients=C -Dsim.keys=K]
   * [-Dsim.fastPathFault=F] -Dsim.nodes=K -Dsim.scenario=S}, as {@link SimSettings#replayCommand()}
   * prints it.
   */
  @Test
  void replay() {
    String seed = System.getProperty("sim.seed");
    assumeTrue(seed != null, "set -Dsim.seed to replay a seed");
    SimSettings settings =
        SimSettings.of(
            Long.parseLong(seed),
            System.getProperty("sim.variant", "vanilla"),
            SimSettings.parseSettings(System.getProperty("sim.set", "")),
            Integer.getInteger("sim.nodes", 3),
            Scenario.valueOf(System.getProperty("sim.scenario", "CHAOS")));
    settings =
        settings
            .withClients(
                Integer.getInteger("sim.clients", SimSettings.DEFAULT_CLIENTS),
                Integer.getInteger("sim.keys", SimSettings.DEFAULT_KEYS))
            .withFastPathFault(
                FastPathFault.valueOf(System.getProperty("sim.fastPathFault", "NONE")));
    String drift = System.getProperty("sim.drift");
    settings =
        settings.withDrift(
            drift == null ? settings.driftRate() : Double.parseDouble(drift),
            Boolean.getBoolean("sim.adversarialDrift"));
    SimResult r = Simulation.run(settings);
    System.out.println(r.describe());
    assertTrue(r.ok(), r.describe());
  }
}
