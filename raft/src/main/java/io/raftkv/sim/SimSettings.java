package io.raftkv.sim;

import io.raftkv.core.RaftConfig;

/**
 * One simulation run. Everything random in the run derives from {@code seed}, so the same settings
 * replay the same run event for event.
 *
 * @param seed the only source of randomness
 * @param variant the variant preset name ({@link RaftConfig#preset(String)})
 * @param nodes the cluster size
 * @param scenario the fault pattern
 * @param clients simulated closed-loop clients
 * @param keys distinct keys the clients use (few keys: much contention)
 * @param loadMillis virtual time with load and faults
 * @param drainMillis virtual time after healing for outstanding operations to finish
 */
public record SimSettings(
    long seed,
    String variant,
    int nodes,
    Scenario scenario,
    int clients,
    int keys,
    long loadMillis,
    long drainMillis) {

  public SimSettings {
    if (nodes < 1 || clients < 0 || keys < 1 || loadMillis < 0 || drainMillis < 0) {
      throw new IllegalArgumentException("bad simulation settings");
    }
    RaftConfig.preset(variant);
  }

  /** The defaults of the test suite for one seed. */
  public static SimSettings of(long seed, String variant, int nodes, Scenario scenario) {
    return new SimSettings(seed, variant, nodes, scenario, 4, 3, 3_000, 3_000);
  }

  /** The one-line command that replays this run. */
  public String replayCommand() {
    return "mvn -B -q -pl raft test -Dtest=ClusterSimTest#replay -Dsim.seed="
        + seed
        + " -Dsim.variant="
        + variant
        + " -Dsim.nodes="
        + nodes
        + " -Dsim.scenario="
        + scenario;
  }
}
