package io.raftkv.load;

import io.raftkv.client.ClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code run}, parsed by hand from the command line.
 *
 * @param ops operations to measure after warm-up, or 0 to run for {@code duration}
 * @param rate target operations per second per client (paced mode), or 0 for closed loop
 * @param history file to record every operation in (DESIGN.md's JSON-lines format), or null
 * @param fastPath send put, delete and multiPut on the fast path ({@code fastpath} variant)
 * @param fastPathMaxInFlight the client's fast-path in-flight limit ({@link
 *     io.raftkv.client.ClientOptions#fastPathMaxInFlight()}); 0 for none
 * @param fastPathStragglerTimeout how long a fast-path update the leader and a majority accepted
 *     waits for the rest of a supermajority ({@link
 *     io.raftkv.client.ClientOptions#fastPathStragglerTimeout()}); zero for off
 * @param ioThreads the client pool's event loop threads ({@link #DEFAULT_IO_THREADS} unless told)
 * @param clientDelay emulated one-way delay before each request leaves the client (the request leg
 *     of a link whose reply leg the server delays with its own {@code --link-delay}); zero for none
 */
public record LoadOptions(
    String cluster,
    int clients,
    Workload workload,
    long seed,
    Duration warmup,
    Duration duration,
    long ops,
    double rate,
    Path out,
    Duration timeout,
    int ioThreads,
    Path history,
    Duration clientDelay,
    boolean fastPath,
    int fastPathMaxInFlight,
    Duration fastPathStragglerTimeout) {

  /**
   * One event loop: every connection's reads, writes and timers on one thread, so a session's next
   * request is written from the thread that read the last answer, without waking another thread.
   * The load client shares the machine's cores with the nodes; with two loops a fast-path update
   * (sent to every node, so to connections on both loops) cost the client 8.6 us of CPU against 5.7
   * to 6.1 us with one, at 64 clients in memory mode, for the same throughput. An ordered update
   * uses the leader's connection only, so one loop changes nothing for it.
   */
  static final int DEFAULT_IO_THREADS = 1;

  static final String USAGE =
      String.join(
          "\n",
          "usage: load-client.jar run --cluster 1=host:port,2=host:port,... [options]",
          "  --clients 16               virtual clients, one request outstanding each",
          "  --mix put=50,get=50        operation weights (put, get, cas, multiPut)",
          "  --keys 1000                key count",
          "  --distribution uniform     uniform | zipfian",
          "  --seed 1                   seed of the workload generators",
          "  --value-size 100           bytes per value",
          "  --warmup 3s                excluded from the results",
          "  --duration 10s             measured time (or --ops N)",
          "  --ops N                    measured operations instead of a duration",
          "  --rate R                   paced mode: R ops/s per client, latency from intended"
              + " send time",
          "  --out DIR                  output directory (default results/load-<time>)",
          "  --timeout 10s              client operation deadline, retries included",
          "  --io-threads 1             client event loop threads",
          "  --history FILE             record every operation as JSON lines (for check)",
          "  --client-delay 0ms         emulated one-way delay before each request is sent",
          "  --fast-path off            on: put/delete/multiPut to every node first (fastpath)",
          "  --fast-path-max-in-flight "
              + ClientOptions.DEFAULT_FAST_PATH_MAX_IN_FLIGHT
              + "  fast-path attempts in flight at most; more go to the leader (0: no limit)",
          "  --fast-path-straggler-timeout "
              + ClientOptions.DEFAULT_FAST_PATH_STRAGGLER_TIMEOUT.toMillis()
              + "ms  once the leader and a majority accepted, wait this long for the rest"
              + " (0: off)");

  /**
   * This load as a JVM warm-up of {@code duration}: closed loop, nothing left out as warm-up (all
   * of it is thrown away), no history.
   */
  LoadOptions asJvmWarmup(Duration duration) {
    return new LoadOptions(
        cluster,
        clients,
        workload,
        seed,
        Duration.ZERO,
        duration,
        0,
        0,
        out,
        timeout,
        ioThreads,
        null,
        clientDelay,
        fastPath,
        fastPathMaxInFlight,
        fastPathStragglerTimeout);
  }

  /** Parses the arguments after {@code run}. */
  public static LoadOptions parse(String[] args) throws UsageException {
    String cluster = null;
    int clients = 16;
    String mix = "put=50,get=50";
    int keys = 1000;
    String distribution = "uniform";
    long seed = 1;
    int valueSize = 100;
    Duration warmup = Duration.ofSeconds(3);
    Duration duration = Duration.ofSeconds(10);
    long ops = 0;
    double rate = 0;
    Path out = null;
    Duration timeout = Duration.ofSeconds(10);
    int ioThreads = DEFAULT_IO_THREADS;
    Path history = null;
    Duration clientDelay = Duration.ZERO;
    boolean fastPath = false;
    int fastPathMaxInFlight = ClientOptions.DEFAULT_FAST_PATH_MAX_IN_FLIGHT;
    Duration fastPathStragglerTimeout = ClientOptions.DEFAULT_FAST_PATH_STRAGGLER_TIMEOUT;
    for (Flags.Flag f : Flags.split(args)) {
      String flag = f.name();
      String value = f.value();
      switch (flag) {
        case "--cluster" -> cluster = value;
        case "--clients" -> clients = positiveInt(flag, value);
        case "--mix" -> mix = value;
        case "--keys" -> keys = positiveInt(flag, value);
        case "--distribution" -> distribution = value;
        case "--seed" -> seed = parseLong(flag, value);
        case "--value-size" -> valueSize = nonNegativeInt(flag, value);
        case "--warmup" -> warmup = parseDuration(flag, value, true);
        case "--duration" -> duration = parseDuration(flag, value, false);
        case "--ops" -> {
          ops = parseLong(flag, value);
          if (ops <= 0) {
            throw new UsageException("--ops must be positive: " + value);
          }
        }
        case "--rate" -> rate = positiveDouble(flag, value);
        case "--out" -> out = Path.of(value);
        case "--timeout" -> timeout = parseDuration(flag, value, false);
        case "--io-threads" -> ioThreads = positiveInt(flag, value);
        case "--history" -> history = Path.of(value);
        case "--client-delay" -> clientDelay = parseDuration(flag, value, true);
        case "--fast-path" -> fastPath = onOff(flag, value);
        case "--fast-path-max-in-flight" -> fastPathMaxInFlight = nonNegativeInt(flag, value);
        case "--fast-path-straggler-timeout" ->
            fastPathStragglerTimeout = parseDuration(flag, value, true);
        default -> throw new UsageException("unknown flag: " + flag);
      }
    }
    if (cluster == null) {
      throw new UsageException("missing required flag --cluster");
    }
    try {
      ClientOptions.parseCluster(cluster);
    } catch (RuntimeException e) {
      throw new UsageException("bad --cluster " + cluster + ": " + e.getMessage());
    }
    Workload.Distribution dist;
    try {
      dist = Workload.Distribution.valueOf(distribution.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "bad --distribution " + distribution + " (expected uniform or zipfian)");
    }
    Workload workload = new Workload(parseMix(mix), keys, dist, valueSize);
    if (out == null) {
      out =
          Path.of(
              "results",
              "load-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    return new LoadOptions(
        cluster,
        clients,
        workload,
        seed,
        warmup,
        duration,
        ops,
        rate,
        out,
        timeout,
        ioThreads,
        history,
        clientDelay,
        fastPath,
        fastPathMaxInFlight,
        fastPathStragglerTimeout);
  }

  /**
   * These options for one point of a sweep: another cluster, client count and output directory; no
   * history file (a sweep records its history through {@link LoadRunner#observe}).
   */
  public LoadOptions forPoint(String cluster, int clients, Path out, boolean fastPath) {
    return new LoadOptions(
        cluster,
        clients,
        workload,
        seed,
        warmup,
        duration,
        ops,
        rate,
        out,
        timeout,
        ioThreads,
        null,
        clientDelay,
        fastPath,
        fastPathMaxInFlight,
        fastPathStragglerTimeout);
  }

  private static boolean onOff(String flag, String value) throws UsageException {
    return switch (value) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new UsageException(flag + " takes on or off, not " + value);
    };
  }

  /** Parses {@code put=50,get=50}. */
  static Map<Op, Integer> parseMix(String spec) throws UsageException {
    Map<Op, Integer> mix = new EnumMap<>(Op.class);
    int total = 0;
    for (String part : spec.split(",", -1)) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2) {
        throw new UsageException("bad --mix entry '" + part + "' (expected op=weight)");
      }
      Op op = Op.byLabel(kv[0].trim());
      if (op == null) {
        throw new UsageException(
            "unknown operation in --mix: " + kv[0] + " (expected put, get, cas or multiPut)");
      }
      if (mix.containsKey(op)) {
        throw new UsageException("operation twice in --mix: " + kv[0]);
      }
      int w = nonNegativeInt("--mix " + op.label(), kv[1].trim());
      mix.put(op, w);
      total += w;
    }
    if (total <= 0) {
      throw new UsageException("--mix needs a positive weight: " + spec);
    }
    return mix;
  }

  /** Parses {@code 250us}, {@code 500ms}, {@code 3s}, {@code 1m}; a bare number is seconds. */
  static Duration parseDuration(String flag, String value, boolean zeroAllowed)
      throws UsageException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.endsWith("us")) {
        d = Duration.ofNanos(1000 * Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(v));
      }
    } catch (NumberFormatException e) {
      throw new UsageException(
          "bad duration for " + flag + ": " + value + " (e.g. 250us, 500ms, 3s, 1m)");
    }
    if (d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new UsageException(flag + " must be " + (zeroAllowed ? "" : "positive") + ": " + value);
    }
    return d;
  }

  private static long parseLong(String flag, String value) throws UsageException {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("bad number for " + flag + ": " + value);
    }
  }

  static int nonNegativeInt(String flag, String value) throws UsageException {
    long v = parseLong(flag, value);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new UsageException(flag + " out of range: " + value);
    }
    return (int) v;
  }

  static int positiveInt(String flag, String value) throws UsageException {
    int v = nonNegativeInt(flag, value);
    if (v == 0) {
      throw new UsageException(flag + " must be positive: " + value);
    }
    return v;
  }

  private static double positiveDouble(String flag, String value) throws UsageException {
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("bad number for " + flag + ": " + value);
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new UsageException(flag + " must be positive: " + value);
    }
    return v;
  }

  /** True in paced mode. */
  public boolean paced() {
    return rate > 0;
  }
}
