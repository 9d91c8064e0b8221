package io.raftkv.sim;

import io.raftkv.core.RaftConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One simulation run. Everything random in the run derives from {@code seed}, so the same settings
 * replay the same run event for event.
 *
 * @param seed the only source of randomness
 * @param variant the variant preset name ({@link RaftConfig#preset(String)})
 * @param settings {@link RaftConfig#withSetting} changes applied to the preset, in order (for
 *     example {@code leaseReads=true}: one flag switched on alone)
 * @param driftRate how far each node's clock may run fast or slow: a node ticks every {@code
 *     tickMillis * (1 + delta)}, delta drawn uniformly from {@code [-driftRate, driftRate]} at
 *     every start; {@link #safeDriftRate(RaftConfig)} by default
 * @param adversarialDrift instead of a random rate, every node ticks every {@code tickMillis * (1 +
 *     driftRate)} while it leads and every {@code tickMillis * (1 - driftRate)} otherwise: the
 *     worst case for a lease within the same bound (the leader's lease lasts longest in real time,
 *     other nodes stop refusing votes soonest)
 * @param nodes the cluster size
 * @param scenario the fault pattern
 * @param clients simulated closed-loop clients
 * @param keys distinct keys the clients use (few keys: much contention)
 * @param loadMillis virtual time with load and faults
 * @param drainMillis virtual time after healing for outstanding operations to finish
 * @param fastPathTimeoutMicros with {@code nilextFastPath}, how long a client waits for the
 *     fast-path answers still missing before it falls back to the ordered path (virtual time)
 * @param fastPathFault a fault injected into the simulated fast path ({@link FastPathFault#NONE}
 *     but in the negative control)
 */
public record SimSettings(
    long seed,
    String variant,
    Map<String, String> settings,
    double driftRate,
    boolean adversarialDrift,
    int nodes,
    Scenario scenario,
    int clients,
    int keys,
    long loadMillis,
    long drainMillis,
    long fastPathTimeoutMicros,
    FastPathFault fastPathFault) {

  /** The suite's default client count. */
  public static final int DEFAULT_CLIENTS = 4;

  /** The suite's default key count. */
  public static final int DEFAULT_KEYS = 3;

  /** The default fast-path timeout: 5 ms of virtual time, a few client round trips. */
  public static final long DEFAULT_FAST_PATH_TIMEOUT_MICROS = 5_000;

  public SimSettings {
    if (nodes < 1 || clients < 0 || keys < 1 || loadMillis < 0 || drainMillis < 0) {
      throw new IllegalArgumentException("bad simulation settings");
    }
    if (fastPathTimeoutMicros < 1 || fastPathFault == null) {
      throw new IllegalArgumentException("bad fast-path settings");
    }
    if (!(driftRate >= 0 && driftRate < 1)) {
      throw new IllegalArgumentException("driftRate must be in [0, 1), got " + driftRate);
    }
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    String unsupported = unsupported(RaftConfig.of(variant, settings));
    if (unsupported != null) {
      throw new IllegalArgumentException(unsupported);
    }
  }

  /**
   * Why the simulator cannot run {@code config} faithfully, or null if it can: {@link SimNode}
   * drives batching, pipelining, lease reads, the parallel leader write and the fast path (a {@code
   * FastPathReplica} per node, as the server's node loop drives it), so today every configuration
   * runs.
   */
  public static String unsupported(RaftConfig config) {
    return null;
  }

  /** A run of a preset as it is, at the drift rate the lease is designed to tolerate. */
  public SimSettings(
      long seed,
      String variant,
      int nodes,
      Scenario scenario,
      int clients,
      int keys,
      long loadMillis,
      long drainMillis) {
    this(
        seed,
        variant,
        Map.of(),
        safeDriftRate(RaftConfig.preset(variant)),
        false,
        nodes,
        scenario,
        clients,
        keys,
        loadMillis,
        drainMillis,
        DEFAULT_FAST_PATH_TIMEOUT_MICROS,
        FastPathFault.NONE);
  }

  /** The defaults of the test suite for one seed of a preset. */
  public static SimSettings of(long seed, String variant, int nodes, Scenario scenario) {
    return of(seed, variant, Map.of(), nodes, scenario);
  }

  /**
   * The defaults of the test suite for one seed of a preset with {@code settings} applied, at the
   * drift rate the lease is designed to tolerate.
   */
  public static SimSettings of(
      long seed, String variant, Map<String, String> settings, int nodes, Scenario scenario) {
    double drift = safeDriftRate(RaftConfig.of(variant, settings));
    return new SimSettings(
        seed,
        variant,
        settings,
        drift,
        false,
        nodes,
        scenario,
        DEFAULT_CLIENTS,
        DEFAULT_KEYS,
        3_000,
        3_000,
        DEFAULT_FAST_PATH_TIMEOUT_MICROS,
        FastPathFault.NONE);
  }

  /** These settings with another drift rate, random per node or {@code adversarial}. */
  public SimSettings withDrift(double rate, boolean adversarial) {
    return copy(rate, adversarial, clients, keys, fastPathFault);
  }

  /** These settings with another client count and key count. */
  public SimSettings withClients(int clientCount, int keyCount) {
    return copy(driftRate, adversarialDrift, clientCount, keyCount, fastPathFault);
  }

  /** These settings with a fault injected into the simulated fast path (negative controls). */
  public SimSettings withFastPathFault(FastPathFault fault) {
    return copy(driftRate, adversarialDrift, clients, keys, fault);
  }

  private SimSettings copy(
      double rate, boolean adversarial, int clientCount, int keyCount, FastPathFault fault) {
    return new SimSettings(
        seed,
        variant,
        settings,
        rate,
        adversarial,
        nodes,
        scenario,
        clientCount,
        keyCount,
        loadMillis,
        drainMillis,
        fastPathTimeoutMicros,
        fault);
  }

  /** The node configuration: the preset with {@link #settings} applied. */
  public RaftConfig config() {
    return RaftConfig.of(variant, settings);
  }

  /**
   * The default drift rate: {@code maxClockDriftTicks / (2 * electionTicks)}, which keeps leases
   * safe with a margin.
   *
   * <p>Why: a lease lasts {@code L = electionTicks - 1 - maxClockDriftTicks} ticks of the leader's
   * clock from the send time of the round that confirmed it, so it ends at most {@code L * T * (1 +
   * rho)} of real time after that send ({@code T} the nominal tick). A voter that acknowledged the
   * round refuses votes and pre-votes until {@code electionTicks} of its own ticks have passed
   * since it heard from the leader, at least {@code electionTicks - 1} full ticks, so at least
   * {@code (electionTicks - 1) * T * (1 - rho)} after the send. Every majority that could elect a
   * new leader holds such a voter, so no new leader can commit (and no stale read can be served)
   * while {@code L * (1 + rho) < (electionTicks - 1) * (1 - rho)}, that is while {@code rho < D /
   * (2 * (electionTicks - 1) - D)} with {@code D = maxClockDriftTicks}. The default stays below
   * that bound for every {@code electionTicks >= 2} (for vanilla's 15 and 2: 0.0667 against the
   * exact 0.0769).
   */
  public static double safeDriftRate(RaftConfig config) {
    return config.maxClockDriftTicks() / (2.0 * config.electionTicks());
  }

  /**
   * The configuration's name: the variant, then {@code +key} for each flag switched on and {@code
   * +key=value} for any other setting ({@code vanilla+leaseReads}).
   */
  public String label() {
    return label(variant, settings);
  }

  /** The label of {@code variant} with {@code settings} applied (see {@link #label()}). */
  public static String label(String variant, Map<String, String> settings) {
    StringBuilder sb = new StringBuilder(variant);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      sb.append('+').append(e.getKey());
      if (!e.getValue().equals("true")) {
        sb.append('=').append(e.getValue());
      }
    }
    return sb.toString();
  }

  /** The one-line command that replays this run. */
  public String replayCommand() {
    StringBuilder sb =
        new StringBuilder("mvn -B -q -pl raft test -Dtest=ClusterSimTest#replay -Dsim.seed=")
            .append(seed)
            .append(" -Dsim.variant=")
            .append(variant);
    if (!settings.isEmpty()) {
      sb.append(" -Dsim.set=")
          .append(
              settings.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(",")));
    }
    if (driftRate != safeDriftRate(config())) {
      sb.append(" -Dsim.drift=").append(driftRate);
    }
    if (adversarialDrift) {
      sb.append(" -Dsim.adversarialDrift=true");
    }
    if (clients != DEFAULT_CLIENTS || keys != DEFAULT_KEYS) {
      sb.append(" -Dsim.clients=").append(clients).append(" -Dsim.keys=").append(keys);
    }
    if (fastPathFault != FastPathFault.NONE) {
      sb.append(" -Dsim.fastPathFault=").append(fastPathFault);
    }
    return sb.append(" -Dsim.nodes=")
        .append(nodes)
        .append(" -Dsim.scenario=")
        .append(scenario)
        .toString();
  }

  /**
   * Parses {@code key=value,key=value} (the {@code -Dsim.set} and {@code --set} form); blank means
   * none.
   *
   * @throws IllegalArgumentException naming the part that is not {@code key=value}
   */
  public static Map<String, String> parseSettings(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("setting '" + part + "' is not key=value");
      }
      out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
    }
    return out;
  }
}
