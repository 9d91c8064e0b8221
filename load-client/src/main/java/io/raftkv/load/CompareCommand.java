package io.raftkv.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * {@code compare}: for every configuration, a fresh local cluster of child JVMs, then a sweep of
 * client counts with {@link LoadRunner}, one point after the other on the same cluster; then the
 * comparison files ({@link ComparisonReport}) and plots ({@link Charts}) in the output directory.
 * With {@code --repeat N} the whole list of configurations runs N times in turn (round 1: every
 * configuration, then round 2, ...), so each round's clusters are measured minutes apart at most
 * and can be compared as pairs ({@link RoundSummary}); the points of round k go to {@code
 * <config>/r<k>/c<clients>}.
 */
final class CompareCommand {
  static final String USAGE =
      String.join(
          "\n",
          "usage: load-client.jar compare [options]",
          "  --clients 1,4,16,64        client counts of the sweep",
          "  --jvm-warmup 30s           per configuration, before its first point: the workload",
          "                             at --jvm-warmup-clients, thrown away (0s: none)",
          "  --jvm-warmup-clients 16    clients of the JVM warm-up",
          "  --jvm-settle 60s           then warm up in 5 s steps, at most this long, until the",
          "                             JIT compilers of all JVMs use under 10% of a core (0s: off)",
          "  --repeat 1                 rounds: run every configuration this many times, in turn,",
          "                             each on a fresh cluster; the report adds medians and the",
          "                             round-by-round throughput ratios to the first configuration",
          ClusterOptions.USAGE);

  /**
   * Default JVM warm-up. On the 2-core reference VM the nodes' C2 compilers take about a core for
   * the first 20 s of load and settle after 30 to 40 s (measured per thread from /proc).
   */
  static final Duration DEFAULT_JVM_WARMUP = Duration.ofSeconds(30);

  static final int DEFAULT_JVM_WARMUP_CLIENTS = 16;

  /** At most this much more warm-up, in {@link #SETTLE_STEP} steps, while the JIT is busy. */
  static final Duration DEFAULT_JVM_SETTLE = Duration.ofSeconds(60);

  static final Duration SETTLE_STEP = Duration.ofSeconds(5);

  /**
   * The JIT counts as settled once all JVMs together compile less than this percentage of one core
   * over a step. Measured on the 2-core reference VM with {@code jstat -compiler}: after a 20 s
   * warm-up the three nodes still compiled 20 to 55 percent of a core in the measured window.
   */
  static final double JIT_SETTLED_PERCENT = 10;

  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private final ClusterOptions options;
  private final List<Integer> clients;
  private final Duration jvmWarmup;
  private final int jvmWarmupClients;
  private final Duration jvmSettle;
  private final int repeat;
  private final PrintStream out;

  private CompareCommand(
      ClusterOptions options,
      List<Integer> clients,
      Duration jvmWarmup,
      int jvmWarmupClients,
      Duration jvmSettle,
      int repeat,
      PrintStream out) {
    this.options = options;
    this.clients = clients;
    this.jvmWarmup = jvmWarmup;
    this.jvmWarmupClients = jvmWarmupClients;
    this.jvmSettle = jvmSettle;
    this.repeat = repeat;
    this.out = out;
  }

  /** Parses {@code args} (after {@code compare}); the usage text goes with a thrown exception. */
  static CompareCommand parse(String[] args, PrintStream out) throws UsageException {
    List<Integer> clients = new ArrayList<>(List.of(1, 4, 16, 64));
    Duration[] jvmWarmup = {DEFAULT_JVM_WARMUP};
    int[] jvmWarmupClients = {DEFAULT_JVM_WARMUP_CLIENTS};
    Duration[] jvmSettle = {DEFAULT_JVM_SETTLE};
    int[] repeat = {1};
    ClusterOptions options =
        ClusterOptions.parse(
            "compare",
            args,
            (flag, value) -> {
              switch (flag) {
                case "--clients" -> {
                  clients.clear();
                  clients.addAll(parseClients(value));
                }
                case "--jvm-warmup" -> jvmWarmup[0] = LoadOptions.parseDuration(flag, value, true);
                case "--jvm-warmup-clients" ->
                    jvmWarmupClients[0] = LoadOptions.positiveInt(flag, value);
                case "--jvm-settle" -> jvmSettle[0] = LoadOptions.parseDuration(flag, value, true);
                case "--repeat" -> repeat[0] = LoadOptions.positiveInt(flag, value);
                default -> {
                  return false;
                }
              }
              return true;
            });
    return new CompareCommand(
        options,
        List.copyOf(clients),
        jvmWarmup[0],
        jvmWarmupClients[0],
        jvmSettle[0],
        repeat[0],
        out);
  }

  /** Parses {@code 1,4,16,64}: positive, distinct, in the order given. */
  static List<Integer> parseClients(String value) throws UsageException {
    List<Integer> list = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      int n = LoadOptions.positiveInt("--clients", part.strip());
      if (list.contains(n)) {
        throw new UsageException("--clients names " + n + " twice");
      }
      list.add(n);
    }
    return list;
  }

  ClusterOptions options() {
    return options;
  }

  List<Integer> clients() {
    return clients;
  }

  Duration jvmWarmup() {
    return jvmWarmup;
  }

  int jvmWarmupClients() {
    return jvmWarmupClients;
  }

  Duration jvmSettle() {
    return jvmSettle;
  }

  int repeat() {
    return repeat;
  }

  /**
   * Runs the point workload at {@link #jvmWarmupClients} for {@link #jvmWarmup} and throws the
   * results away. Every node is a fresh JVM; without this, the first point of a configuration
   * (usually 1 client) would be measured while the JIT compilers of all the nodes still take a
   * large share of the machine's cores, and at one client a short per-point warm-up sends too few
   * requests to get the hot paths compiled at all.
   */
  private void warmUpJvms(LocalCluster cluster, ClusterConfig config)
      throws IOException, InterruptedException {
    if (jvmWarmup.isZero()) {
      return;
    }
    Path scratch = Files.createTempDirectory("raftkv-jvm-warmup");
    try {
      LoadOptions warm =
          options
              .load()
              .forPoint(cluster.clusterSpec(), jvmWarmupClients, scratch, config.fastPath())
              .asJvmWarmup(jvmWarmup);
      LoadRunner.Outcome o =
          new LoadRunner(warm, new PrintStream(OutputStream.nullOutputStream())).run();
      long ops = 0;
      for (OpResult r : o.results()) {
        ops += r.count();
      }
      out.printf(
          Locale.ROOT,
          "   JVM warm-up: %d clients for %d s, %d operations (thrown away)%n",
          jvmWarmupClients,
          jvmWarmup.toSeconds(),
          ops);
      settleJit(cluster, config, scratch);
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /**
   * Goes on with the warm-up workload in {@link #SETTLE_STEP} steps while the JIT compilers of the
   * nodes and of this JVM together use more than {@link #JIT_SETTLED_PERCENT} of a core, for at
   * most {@link #jvmSettle}; says how it ended.
   */
  private void settleJit(LocalCluster cluster, ClusterConfig config, Path scratch)
      throws IOException, InterruptedException {
    long spent = 0;
    while (spent < jvmSettle.toMillis()) {
      long step = Math.min(SETTLE_STEP.toMillis(), jvmSettle.toMillis() - spent);
      StatusProbe probe = new StatusProbe(cluster, options.nodes());
      LoadOptions warm =
          options
              .load()
              .forPoint(cluster.clusterSpec(), jvmWarmupClients, scratch, config.fastPath())
              .asJvmWarmup(Duration.ofMillis(step));
      probe.windowOpens();
      new LoadRunner(warm, new PrintStream(OutputStream.nullOutputStream())).run();
      probe.windowCloses();
      spent += step;
      JvmTimeWindow jit = probe.jit();
      if (!jit.complete(options.nodes())) {
        out.printf(Locale.ROOT, "   JIT: not every JVM reports its compile time; not waiting%n");
        return;
      }
      if (jit.corePercent() < JIT_SETTLED_PERCENT) {
        out.printf(
            Locale.ROOT,
            "   JIT settled after %.0f s more warm-up (%.1f%% of a core compiling)%n",
            spent / 1000.0,
            jit.corePercent());
        return;
      }
      if (spent >= jvmSettle.toMillis()) {
        out.printf(
            Locale.ROOT,
            "   JIT still at %.1f%% of a core after %.0f s more warm-up; measuring anyway%n",
            jit.corePercent(),
            spent / 1000.0);
      }
    }
  }

  /** Prints what the JIT, the CPU and the GC did during a point's measured window, if read. */
  private void printClocks(PointResult p) {
    if (p.jit().known()) {
      out.printf(
          Locale.ROOT,
          "   JIT during the measured window: %.1f%% of a core%n",
          p.jit().corePercent());
    }
    if (p.cpu().known()) {
      out.printf(
          Locale.ROOT,
          "   CPU during the measured window: %.2f cores, %.1f us per operation (nodes %.1f)%n",
          p.cpu().corePercent() / 100,
          p.cpuMicrosPerOp(),
          p.cpu().nodeMicrosPerOp(p.count()));
    }
    if (p.gc().known()) {
      out.printf(
          Locale.ROOT,
          "   GC pauses during the measured window: %s ms per node, %d ms in the client%n",
          p.gc().nodeMillis().values(),
          p.gc().clientMillis());
    }
  }

  /** Runs every point and writes the files; returns the points. */
  List<PointResult> run() throws IOException, InterruptedException {
    Path dir = options.out();
    LoadOptions load = options.load();
    int clusters = options.configs().size() * repeat;
    int total = clusters * clients.size();
    long pointSeconds = load.warmup().toSeconds() + load.duration().toSeconds() + 1;
    out.printf(
        Locale.ROOT,
        "compare: %d configurations x %d client counts%s = %d points of %d s + %d s warm-up,"
            + " after %d s of JVM warm-up per cluster, durability %s, %d nodes; results in"
            + " %s%n",
        options.configs().size(),
        clients.size(),
        repeat > 1 ? " x " + repeat + " rounds" : "",
        total,
        load.duration().toSeconds(),
        load.warmup().toSeconds(),
        jvmWarmup.toSeconds(),
        options.durability(),
        options.nodes(),
        dir);
    long started = System.nanoTime();
    long startupNanos = 0;
    int done = 0;
    List<PointResult> points = new ArrayList<>();
    Instant date = Instant.now();
    for (int k = 0; k < clusters; k++) {
      ClusterConfig config = options.configs().get(k % options.configs().size());
      int round = k / options.configs().size() + 1;
      Path configDir =
          repeat > 1
              ? dir.resolve(config.label()).resolve("r" + round)
              : dir.resolve(config.label());
      String historyName = repeat > 1 ? config.label() + "-r" + round : config.label();
      long t0 = System.nanoTime();
      try (LocalCluster cluster = LocalCluster.start(options.spec(config));
          HistoryRecorder history = HistoryRecorder.openIn(options.history(), historyName)) {
        cluster.keepLogsIn(configDir.resolve("logs"));
        cluster.awaitLeader(LEADER_TIMEOUT);
        warmUpJvms(cluster, config);
        startupNanos = Math.max(startupNanos, System.nanoTime() - t0);
        int clientBase = 0;
        for (int n : clients) {
          int leader = cluster.awaitLeader(LEADER_TIMEOUT);
          long left =
              (total - done) * pointSeconds
                  + (clusters - k - 1) * (startupNanos / 1_000_000_000L + 6);
          out.printf(
              Locale.ROOT,
              "== point %d of %d: %s%s, %d clients (leader node %d; about %s left)%n",
              done + 1,
              total,
              config.label(),
              repeat > 1 ? " round " + round : "",
              n,
              leader,
              minutes(left));
          Path pointDir = configDir.resolve(Charts.clientsTag(n));
          StatusProbe probe = new StatusProbe(cluster, options.nodes());
          LoadRunner runner =
              new LoadRunner(
                      load.forPoint(cluster.clusterSpec(), n, pointDir, config.fastPath()), out)
                  .onMeasuredWindow(probe::windowOpens, probe::windowCloses);
          if (history != null) {
            runner.observe(history.withClientBase(clientBase));
          }
          clientBase += n;
          LoadRunner.Outcome o = runner.run();
          PointResult point =
              new PointResult(
                  config,
                  n,
                  round,
                  o.info(),
                  o.results(),
                  probe.leader(leader),
                  o.fastPath(),
                  probe.jit(),
                  probe.cpu(),
                  probe.gc(),
                  pointDir);
          printClocks(point);
          points.add(point);
          done++;
        }
      }
    }
    RunInfo first = points.get(0).info();
    ComparisonReport.Meta meta =
        new ComparisonReport.Meta(
            "compare",
            options.durability(),
            options.nodes(),
            options.linkDelayText(),
            options.nodeHeap(),
            first.workload(),
            first.seed(),
            load.warmup().toMillis() / 1000.0,
            load.duration().toMillis() / 1000.0,
            jvmWarmup.toMillis() / 1000.0,
            jvmWarmup.isZero() ? 0 : jvmWarmupClients,
            first.jdk(),
            first.cores(),
            first.gitCommit(),
            date.toString(),
            repeat);
    ComparisonReport.write(dir, meta, points);
    writePlots(dir, points, load.workload());
    out.print(ComparisonReport.markdown(meta, points));
    out.printf(
        Locale.ROOT,
        "compare: done in %s; results in %s%n",
        minutes((System.nanoTime() - started) / 1_000_000_000L),
        dir);
    return points;
  }

  /**
   * The four kinds of plot, with one line per configuration (per configuration and round when the
   * comparison was repeated).
   */
  static void writePlots(Path dir, List<PointResult> points, Workload workload) throws IOException {
    Map<String, List<double[]>> throughput = new LinkedHashMap<>();
    Map<String, List<double[]>> p99 = new LinkedHashMap<>();
    Map<Integer, Map<String, List<double[]>>> curves = new LinkedHashMap<>();
    Map<Integer, Map<String, List<double[]>>> timelines = new LinkedHashMap<>();
    List<String> ops = new ArrayList<>();
    for (Op op : workload.ops()) {
      ops.add(op.label());
    }
    boolean repeated = points.stream().anyMatch(p -> p.round() > 1);
    for (PointResult p : points) {
      // Repeated: one line per cluster, each round's its own.
      String label = repeated ? p.config().label() + " r" + p.round() : p.config().label();
      Histogram h = p.latency();
      throughput
          .computeIfAbsent(label, k -> new ArrayList<>())
          .add(new double[] {p.clients(), p.throughput()});
      p99.computeIfAbsent(label, k -> new ArrayList<>())
          .add(new double[] {p.clients(), Report.micros(h, 99) / 1000});
      curves
          .computeIfAbsent(p.clients(), k -> new LinkedHashMap<>())
          .put(label, Charts.percentileCurve(h));
      timelines
          .computeIfAbsent(p.clients(), k -> new LinkedHashMap<>())
          .put(label, Timeline.fromIntervalLogs(p.dir(), ops));
    }
    Charts.line(
        dir.resolve("throughput-vs-clients.png"),
        "Throughput against clients",
        "clients",
        "successful ops/s",
        throughput,
        Charts.XAxis.LOG2,
        false,
        null);
    Charts.line(
        dir.resolve("p99-vs-clients.png"),
        "p99 latency against clients (all operations)",
        "clients",
        "p99 latency (ms, log scale)",
        p99,
        Charts.XAxis.LOG2,
        true,
        null);
    perClientCount(
        dir,
        "latency-percentiles",
        "Latency by percentile, %d clients (all operations)",
        "percentile",
        "latency (ms, log scale)",
        curves,
        Charts.XAxis.NINES,
        true);
    perClientCount(
        dir,
        "throughput-over-time",
        "Throughput over the measured time, %d clients",
        "seconds after warm-up",
        "successful ops/s (per-second intervals)",
        timelines,
        Charts.XAxis.LINEAR,
        false);
  }

  /** One plot per client count: {@code <name>-c<N>.png}, one line per configuration. */
  private static void perClientCount(
      Path dir,
      String name,
      String title,
      String xLabel,
      String yLabel,
      Map<Integer, Map<String, List<double[]>>> byClients,
      Charts.XAxis axis,
      boolean logY)
      throws IOException {
    for (Map.Entry<Integer, Map<String, List<double[]>>> e : byClients.entrySet()) {
      Charts.line(
          dir.resolve(name + "-" + Charts.clientsTag(e.getKey()) + ".png"),
          String.format(Locale.ROOT, title, e.getKey()),
          xLabel,
          yLabel,
          e.getValue(),
          axis,
          logY,
          null);
    }
  }

  static String minutes(long seconds) {
    return seconds >= 60
        ? String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60)
        : seconds + "s";
  }
}
