package io.raftkv.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code failover}: for every configuration, a fresh local cluster under a steady closed-loop load;
 * {@code --kill-after} into the measured time the leader is killed with SIGKILL; the run reports
 * the unavailability window ({@link FailoverObserver}) and writes a throughput-over-time plot with
 * the kill marked, {@code timeline.csv}, {@code summary.json} and {@code report.md}.
 */
final class FailoverCommand {
  static final String USAGE =
      String.join(
          "\n",
          "usage: load-client.jar failover [options]",
          "  --clients 16               virtual clients",
          "  --kill-after D             kill the leader D after the warm-up (default: half the"
              + " duration)",
          ClusterOptions.USAGE);

  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  /** The outcome for one configuration. */
  record Result(
      ClusterConfig config,
      int killedLeader,
      int newLeader,
      double killAtSeconds,
      double unavailableMillis,
      double firstWriteAfterKillMillis,
      long failuresAfterKill,
      PointResult point) {}

  private final ClusterOptions options;
  private final int clients;
  private final Duration killAfter;
  private final PrintStream out;

  private FailoverCommand(
      ClusterOptions options, int clients, Duration killAfter, PrintStream out) {
    this.options = options;
    this.clients = clients;
    this.killAfter = killAfter;
    this.out = out;
  }

  static FailoverCommand parse(String[] args, PrintStream out) throws UsageException {
    int[] clients = {16};
    Duration[] killAfter = {null};
    ClusterOptions options =
        ClusterOptions.parse(
            "failover",
            args,
            (flag, value) -> {
              switch (flag) {
                case "--clients" -> clients[0] = LoadOptions.positiveInt(flag, value);
                case "--kill-after" -> killAfter[0] = LoadOptions.parseDuration(flag, value, true);
                default -> {
                  return false;
                }
              }
              return true;
            });
    Duration duration = options.load().duration();
    Duration kill = killAfter[0] == null ? duration.dividedBy(2) : killAfter[0];
    if (kill.compareTo(duration) >= 0) {
      throw new UsageException(
          "--kill-after must be shorter than --duration (" + duration.toMillis() + " ms)");
    }
    return new FailoverCommand(options, clients[0], kill, out);
  }

  Duration killAfter() {
    return killAfter;
  }

  int clients() {
    return clients;
  }

  /** Runs every configuration and writes the files; returns the results. */
  List<Result> run() throws IOException, InterruptedException {
    Path dir = options.out();
    Instant date = Instant.now();
    List<Result> results = new ArrayList<>();
    Map<String, List<double[]>> timelines = new LinkedHashMap<>();
    double killAt = 0;
    for (int c = 0; c < options.configs().size(); c++) {
      ClusterConfig config = options.configs().get(c);
      out.printf(
          Locale.ROOT,
          "== failover %d of %d: %s, %d clients, leader killed %.1f s after the warm-up%n",
          c + 1,
          options.configs().size(),
          config.label(),
          clients,
          killAfter.toMillis() / 1000.0);
      Result r = runOne(dir.resolve(config.label()), config, timelines);
      killAt = r.killAtSeconds();
      results.add(r);
      out.printf(Locale.ROOT, "%s: %s%n", config.label(), describe(r));
    }
    writeFiles(dir, date, results, timelines, killAt);
    return results;
  }

  private Result runOne(Path dir, ClusterConfig config, Map<String, List<double[]>> timelines)
      throws IOException, InterruptedException {
    LoadOptions load = options.load();
    try (LocalCluster cluster = LocalCluster.start(options.spec(config));
        HistoryRecorder history = HistoryRecorder.openIn(options.history(), config.label())) {
      cluster.keepLogsIn(dir.resolve("logs"));
      cluster.awaitLeader(LEADER_TIMEOUT);
      long span =
          load.warmup().toNanos() + load.duration().toNanos() + 2 * load.timeout().toNanos();
      FailoverObserver observer = new FailoverObserver(System.nanoTime(), span);
      LoadRunner runner =
          new LoadRunner(
              load.forPoint(cluster.clusterSpec(), clients, dir, config.fastPath()), out);
      runner.observe(observer);
      if (history != null) {
        runner.observe(history);
      }
      ExecutorService background =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "failover-load");
                t.setDaemon(true);
                return t;
              });
      try {
        Future<LoadRunner.Outcome> running = background.submit(runner::run);
        long killTime = observer.origin() + load.warmup().toNanos() + killAfter.toNanos();
        long wait = killTime - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        int leader = cluster.awaitLeader(LEADER_TIMEOUT);
        observer.killedAt(System.nanoTime());
        cluster.kill(leader);
        out.printf("killed the leader, node %d%n", leader);
        LoadRunner.Outcome outcome = awaitRun(running, load);
        int newLeader = cluster.awaitLeader(LEADER_TIMEOUT);
        timelines.put(config.label(), observer.timeline(System.nanoTime()));
        double killAtSeconds = (observer.killNanos() - observer.origin()) / 1e9;
        PointResult point =
            new PointResult(
                config,
                clients,
                1,
                outcome.info(),
                outcome.results(),
                LeaderWindow.missing(leader, "the leader was killed during the window"),
                outcome.fastPath(),
                JvmTimeWindow.unknown(),
                JvmTimeWindow.unknown(),
                JvmTimeWindow.unknown(),
                dir);
        Result result =
            new Result(
                config,
                leader,
                newLeader,
                killAtSeconds,
                observer.unavailableMillis(),
                observer.firstWriteAfterKill(),
                observer.failuresAfterKill(),
                point);
        writeTimeline(dir, timelines.get(config.label()));
        Charts.line(
            dir.resolve("throughput-over-time.png"),
            config.label() + ": throughput while the leader is killed",
            "seconds since the load started (warm-up included)",
            "successful ops/s (100 ms buckets)",
            Map.of(config.label(), timelines.get(config.label())),
            Charts.XAxis.LINEAR,
            false,
            new Charts.Marker(killAtSeconds, "leader killed"));
        return result;
      } finally {
        background.shutdownNow();
      }
    }
  }

  private static LoadRunner.Outcome awaitRun(Future<LoadRunner.Outcome> running, LoadOptions load)
      throws IOException, InterruptedException {
    long bound =
        load.warmup().toMillis()
            + load.duration().toMillis()
            + 3 * load.timeout().toMillis()
            + 30_000;
    try {
      return running.get(bound, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the load failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      running.cancel(true);
      throw new IOException("the load did not finish within " + bound + " ms");
    }
  }

  static String describe(Result r) {
    return String.format(
        Locale.ROOT,
        "killed node %d, node %d leads now; unavailable for %s (kill to the first successful"
            + " write called after it; first write completing after the kill: %s); %d operations"
            + " failed after the kill",
        r.killedLeader(),
        r.newLeader(),
        millis(r.unavailableMillis()),
        millis(r.firstWriteAfterKillMillis()),
        r.failuresAfterKill());
  }

  private static String millis(double ms) {
    return ms < 0 ? "(none)" : String.format(Locale.ROOT, "%.1f ms", ms);
  }

  private static void writeTimeline(Path dir, List<double[]> points) throws IOException {
    StringBuilder sb = new StringBuilder("seconds,ops_per_second\n");
    for (double[] p : points) {
      sb.append(Report.num(p[0])).append(',').append(Report.num(p[1])).append('\n');
    }
    Files.writeString(dir.resolve("timeline.csv"), sb.toString());
  }

  private void writeFiles(
      Path dir,
      Instant date,
      List<Result> results,
      Map<String, List<double[]>> timelines,
      double killAt)
      throws IOException {
    RunInfo info = results.get(0).point().info();
    LoadOptions load = options.load();
    StringBuilder json = new StringBuilder("{\n  \"run\": {\n");
    Report.field(json, 4, "command", Report.quote("failover"), true);
    Report.field(json, 4, "durability", Report.quote(options.durability()), true);
    Report.field(json, 4, "cluster_size", Integer.toString(options.nodes()), true);
    Report.field(json, 4, "link_delay", Report.quote(options.linkDelayText()), true);
    Report.field(json, 4, "node_heap", Report.quote(options.nodeHeap()), true);
    Report.field(json, 4, "clients", Integer.toString(clients), true);
    Report.field(json, 4, "workload", Report.quote(info.workload()), true);
    Report.field(json, 4, "seed", Long.toString(info.seed()), true);
    Report.field(json, 4, "warmup_s", Report.num(load.warmup().toMillis() / 1000.0), true);
    Report.field(json, 4, "duration_s", Report.num(load.duration().toMillis() / 1000.0), true);
    Report.field(json, 4, "kill_after_s", Report.num(killAfter.toMillis() / 1000.0), true);
    Report.field(json, 4, "jdk", Report.quote(info.jdk()), true);
    Report.field(json, 4, "cores", Integer.toString(info.cores()), true);
    Report.field(json, 4, "git_commit", Report.quote(info.gitCommit()), true);
    Report.field(json, 4, "date", Report.quote(date.toString()), false);
    json.append("  },\n  \"results\": [\n");
    StringBuilder md = new StringBuilder("# raftkv failover\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%d nodes (heap %s each), durability `%s`, link delay %s, %d clients, workload `%s`;"
                + " the leader is"
                + " killed with SIGKILL %.1f s after a %.0f s warm-up, in a %.0f s measured run;"
                + " %s, %d cores, commit `%s`, %s.%n%n",
            options.nodes(),
            options.nodeHeap(),
            options.durability(),
            options.linkDelayText(),
            clients,
            info.workload(),
            killAfter.toMillis() / 1000.0,
            load.warmup().toMillis() / 1000.0,
            load.duration().toMillis() / 1000.0,
            info.jdk(),
            info.cores(),
            info.gitCommit(),
            date));
    md.append(
        "Unavailable: from the kill to the first successful write (put, cas or multiPut) called"
            + " after the kill. First write after kill: the first successful write completing"
            + " after the kill, whenever it was called. Throughput over the whole measured time,"
            + " the kill included.\n\n");
    md.append("| config | killed | new leader | unavailable ms | first write after kill ms |")
        .append(" failed ops after kill | ops/s | errors |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      PointResult p = r.point();
      json.append("    {\n");
      Report.field(json, 6, "config", Report.quote(r.config().label()), true);
      Report.field(json, 6, "variant", Report.quote(r.config().variant()), true);
      Report.field(json, 6, "settings", Report.quote(r.config().settingsText()), true);
      Report.field(json, 6, "flags", Report.quote(r.config().flagsText()), true);
      Report.field(json, 6, "killed_leader", Integer.toString(r.killedLeader()), true);
      Report.field(json, 6, "new_leader", Integer.toString(r.newLeader()), true);
      Report.field(json, 6, "kill_at_s", Report.num(r.killAtSeconds()), true);
      Report.field(json, 6, "unavailable_ms", nullable(r.unavailableMillis()), true);
      Report.field(
          json, 6, "first_write_after_kill_ms", nullable(r.firstWriteAfterKillMillis()), true);
      Report.field(json, 6, "failed_ops_after_kill", Long.toString(r.failuresAfterKill()), true);
      Report.field(json, 6, "measured_s", Report.num(p.info().measuredSeconds()), true);
      Report.field(json, 6, "count", Long.toString(p.count()), true);
      Report.field(json, 6, "errors", Long.toString(p.errors()), true);
      Report.field(json, 6, "throughput", Report.num(p.throughput()), true);
      json.append("      \"latency_us\": ").append(Report.latencyJson(p.latency())).append('\n');
      json.append("    }").append(i + 1 < results.size() ? ",\n" : "\n");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s | %d | %.0f | %d |%n",
              r.config().label(),
              r.killedLeader(),
              r.newLeader(),
              r.unavailableMillis() < 0 ? "none" : Report.num(r.unavailableMillis()),
              r.firstWriteAfterKillMillis() < 0
                  ? "none"
                  : Report.num(r.firstWriteAfterKillMillis()),
              r.failuresAfterKill(),
              p.throughput(),
              p.errors()));
    }
    json.append("  ]\n}\n");
    md.append(
        "\nPlots: `throughput-over-time.png` (every configuration) and"
            + " `<config>/throughput-over-time.png`; raw data in `<config>/`.\n");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.json"), json.toString());
    Files.writeString(dir.resolve("report.md"), md.toString());
    Charts.line(
        dir.resolve("throughput-over-time.png"),
        "Throughput while the leader is killed",
        "seconds since the load started (warm-up included)",
        "successful ops/s (100 ms buckets)",
        timelines,
        Charts.XAxis.LINEAR,
        false,
        new Charts.Marker(killAt, "leader killed"));
    out.print(md);
    out.println("failover: results in " + dir);
  }

  private static String nullable(double ms) {
    return ms < 0 ? "null" : Report.num(ms);
  }
}
