package io.raftkv.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The files of a comparison run: {@code summary.json} (the run's metadata and every point), {@code
 * summary.csv} (one row per point) and {@code report.md} (a table configuration x clients).
 * Latencies are all operation types together; per-operation figures are in each point's own {@code
 * summary.json}.
 */
public final class ComparisonReport {
  /** What the whole run was: the same for every point. */
  public record Meta(
      String command,
      String durability,
      int nodes,
      String linkDelay,
      String nodeHeap,
      String workload,
      long seed,
      double warmupSeconds,
      double durationSeconds,
      double jvmWarmupSeconds,
      int jvmWarmupClients,
      String jdk,
      int cores,
      String gitCommit,
      String date,
      int rounds) {}

  static final String CSV_HEADER =
      "config,variant,settings,flags,durability,nodes,clients,duration_s,count,errors,throughput,"
          + "p50_us,p90_us,p99_us,p99_9_us,max_us,leader,fsyncs,committed_entries,fsyncs_per_entry,"
          + "durability_fsyncs,durability_fsyncs_per_entry,fast_path_attempts,fast_path_completed,fast_path_bypassed,"
          + "jit_ms,jit_core_percent,cpu_ms,cpu_node_ms,cpu_us_per_op,gc_node_ms,gc_node_max_ms,round";

  private ComparisonReport() {}

  /** Writes the three files into {@code dir}. */
  public static void write(Path dir, Meta meta, List<PointResult> points) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.json"), json(meta, points));
    Files.writeString(dir.resolve("summary.csv"), csv(meta, points));
    Files.writeString(dir.resolve("report.md"), markdown(meta, points));
  }

  static String json(Meta meta, List<PointResult> points) {
    StringBuilder sb = new StringBuilder("{\n  \"run\": {\n");
    Report.field(sb, 4, "command", Report.quote(meta.command()), true);
    Report.field(sb, 4, "durability", Report.quote(meta.durability()), true);
    Report.field(sb, 4, "cluster_size", Integer.toString(meta.nodes()), true);
    Report.field(sb, 4, "link_delay", Report.quote(meta.linkDelay()), true);
    Report.field(sb, 4, "node_heap", Report.quote(meta.nodeHeap()), true);
    Report.field(sb, 4, "workload", Report.quote(meta.workload()), true);
    Report.field(sb, 4, "seed", Long.toString(meta.seed()), true);
    Report.field(sb, 4, "warmup_s", Report.num(meta.warmupSeconds()), true);
    Report.field(sb, 4, "jvm_warmup_s", Report.num(meta.jvmWarmupSeconds()), true);
    Report.field(sb, 4, "jvm_warmup_clients", Integer.toString(meta.jvmWarmupClients()), true);
    Report.field(sb, 4, "duration_s", Report.num(meta.durationSeconds()), true);
    Report.field(sb, 4, "jdk", Report.quote(meta.jdk()), true);
    Report.field(sb, 4, "cores", Integer.toString(meta.cores()), true);
    Report.field(sb, 4, "git_commit", Report.quote(meta.gitCommit()), true);
    Report.field(sb, 4, "date", Report.quote(meta.date()), true);
    Report.field(sb, 4, "rounds", Integer.toString(meta.rounds()), false);
    sb.append("  },\n  \"points\": [\n");
    for (int i = 0; i < points.size(); i++) {
      PointResult p = points.get(i);
      Histogram h = p.latency();
      sb.append("    {\n");
      Report.field(sb, 6, "config", Report.quote(p.config().label()), true);
      Report.field(sb, 6, "variant", Report.quote(p.config().variant()), true);
      Report.field(sb, 6, "settings", Report.quote(p.config().settingsText()), true);
      Report.field(sb, 6, "flags", Report.quote(p.config().flagsText()), true);
      Report.field(sb, 6, "clients", Integer.toString(p.clients()), true);
      Report.field(sb, 6, "round", Integer.toString(p.round()), true);
      Report.field(sb, 6, "measured_s", Report.num(p.info().measuredSeconds()), true);
      Report.field(sb, 6, "count", Long.toString(p.count()), true);
      Report.field(sb, 6, "errors", Long.toString(p.errors()), true);
      sb.append("      \"errors_by_op\": {");
      int j = 0;
      for (OpResult r : p.results()) {
        if (!r.errors().isEmpty()) {
          sb.append(j++ == 0 ? "" : ", ").append(Report.quote(r.label())).append(": {");
          int k = 0;
          for (Map.Entry<String, Long> e : r.errors().entrySet()) {
            sb.append(k++ == 0 ? "" : ", ").append(Report.quote(e.getKey())).append(": ");
            sb.append(e.getValue());
          }
          sb.append('}');
        }
      }
      sb.append("},\n");
      Report.field(sb, 6, "throughput", Report.num(p.throughput()), true);
      sb.append("      \"latency_us\": ").append(Report.latencyJson(h)).append(",\n");
      LeaderWindow w = p.leader();
      Report.field(sb, 6, "leader", Integer.toString(w.leaderId()), true);
      Report.field(sb, 6, "leader_fsyncs", w.valid() ? Long.toString(w.fsyncs()) : "null", true);
      Report.field(
          sb,
          6,
          "leader_committed_entries",
          w.valid() ? Long.toString(w.committed()) : "null",
          true);
      double f = w.fsyncsPerEntry();
      Report.field(sb, 6, "fsyncs_per_entry", Double.isNaN(f) ? "null" : Report.num(f), true);
      if (p.fastPath() != null) {
        double d = w.durabilityFsyncsPerEntry();
        Report.field(
            sb,
            6,
            "leader_durability_fsyncs",
            Double.isNaN(d) ? "null" : Long.toString(w.durabilityFsyncs()),
            true);
        Report.field(
            sb, 6, "durability_fsyncs_per_entry", Double.isNaN(d) ? "null" : Report.num(d), true);
      }
      Report.field(sb, 6, "leader_note", Report.quote(w.note()), true);
      if (p.fastPath() != null) {
        Report.field(sb, 6, "fast_path", Report.fastPathJson(p.fastPath()), true);
      }
      sb.append("      \"jit\": ").append(jitJson(p.jit())).append(",\n");
      sb.append("      \"cpu\": ").append(cpuJson(p)).append(",\n");
      sb.append("      \"gc\": ").append(gcJson(p.gc())).append(",\n");
      Report.field(sb, 6, "dir", Report.quote(relative(p, meta.rounds())), false);
      sb.append("    }").append(i + 1 < points.size() ? ",\n" : "\n");
    }
    sb.append("  ]");
    if (meta.rounds() > 1) {
      sb.append(",\n  \"over_rounds\": ").append(roundsJson(RoundSummary.of(points)));
    }
    sb.append("\n}\n");
    return sb.toString();
  }

  /** The per-configuration figures over every round ({@link RoundSummary}) as a JSON array. */
  static String roundsJson(RoundSummary summary) {
    StringBuilder sb = new StringBuilder("[\n");
    List<RoundSummary.Row> rows = summary.rows();
    for (int i = 0; i < rows.size(); i++) {
      RoundSummary.Row r = rows.get(i);
      sb.append("    {\n");
      Report.field(sb, 6, "config", Report.quote(r.config().label()), true);
      Report.field(sb, 6, "clients", Integer.toString(r.clients()), true);
      Report.field(sb, 6, "rounds", Integer.toString(r.measuredRounds()), true);
      Report.field(sb, 6, "throughput", numArray(r.throughputs()), true);
      Report.field(sb, 6, "throughput_median", numOrNull(r.medianThroughput()), true);
      Report.field(sb, 6, "throughput_min", numOrNull(r.minThroughput()), true);
      Report.field(sb, 6, "throughput_max", numOrNull(r.maxThroughput()), true);
      Report.field(
          sb, 6, "p50_us_median", numOrNull(RoundSummary.median(r.p50Millis()) * 1000), true);
      Report.field(
          sb, 6, "p99_us_median", numOrNull(RoundSummary.median(r.p99Millis()) * 1000), true);
      Report.field(
          sb, 6, "cpu_us_per_op_median", numOrNull(RoundSummary.median(r.cpuMicrosPerOp())), true);
      Report.field(sb, 6, "ratio_to", Report.quote(summary.baseline().label()), true);
      Report.field(sb, 6, "ratios", numArray(r.ratios()), true);
      Report.field(sb, 6, "ratio_median", numOrNull(r.medianRatio()), true);
      Report.field(sb, 6, "p50_ratios", numArray(r.p50Ratios()), true);
      Report.field(sb, 6, "p50_ratio_median", numOrNull(r.medianP50Ratio()), false);
      sb.append("    }").append(i + 1 < rows.size() ? ",\n" : "\n");
    }
    return sb.append("  ]").toString();
  }

  private static String numArray(double[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(numOrNull(values[i]));
    }
    return sb.append(']').toString();
  }

  /** The JIT window as a JSON object, or null when it was not probed. */
  static String jitJson(JvmTimeWindow j) {
    return clockJson(j, "core_percent", Report.num(j.corePercent()));
  }

  /** The CPU window as a JSON object, or null when it was not probed. */
  static String cpuJson(PointResult p) {
    JvmTimeWindow c = p.cpu();
    return clockJson(
        c,
        "cores",
        Report.num(c.corePercent() / 100),
        "us_per_op",
        numOrNull(p.cpuMicrosPerOp()),
        "node_us_per_op",
        numOrNull(c.nodeMicrosPerOp(p.count())));
  }

  /** The GC window as a JSON object, or null when it was not probed. */
  static String gcJson(JvmTimeWindow g) {
    return clockJson(
        g,
        "node_total_ms",
        Long.toString(g.nodeTotalMillis()),
        "node_max_ms",
        g.maxNodeMillis() < 0 ? "null" : Long.toString(g.maxNodeMillis()));
  }

  /**
   * A clock's window as a JSON object (length, client, per node, then {@code extra} name and value
   * pairs), or null when it was not probed.
   */
  private static String clockJson(JvmTimeWindow w, String... extra) {
    if (!w.known()) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("{\"window_ms\": ").append(w.windowMillis());
    sb.append(", \"client_ms\": ").append(w.clientMillis() < 0 ? "null" : w.clientMillis());
    sb.append(", \"node_ms\": {");
    int i = 0;
    for (Map.Entry<Integer, Long> e : w.nodeMillis().entrySet()) {
      sb.append(i++ == 0 ? "" : ", ").append(Report.quote(Integer.toString(e.getKey())));
      sb.append(": ").append(e.getValue());
    }
    sb.append('}');
    for (int k = 0; k + 1 < extra.length; k += 2) {
      sb.append(", ").append(Report.quote(extra[k])).append(": ").append(extra[k + 1]);
    }
    return sb.append('}').toString();
  }

  private static String numOrNull(double v) {
    return Double.isNaN(v) ? "null" : Report.num(v);
  }

  /**
   * The point's directory relative to the run directory: {@code <config>/c<clients>}, or {@code
   * <config>/r<round>/c<clients>} in a repeated run.
   */
  static String relative(PointResult p, int rounds) {
    return p.config().label() + (rounds > 1 ? "/r" + p.round() : "") + "/c" + p.clients();
  }

  static String csv(Meta meta, List<PointResult> points) {
    StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
    for (PointResult p : points) {
      Histogram h = p.latency();
      LeaderWindow w = p.leader();
      double f = w.fsyncsPerEntry();
      double d = p.fastPath() == null ? Double.NaN : w.durabilityFsyncsPerEntry();
      sb.append(
          String.join(
              ",",
              csvText(p.config().label()),
              csvText(p.config().variant()),
              csvText(p.config().settingsText()),
              csvText(p.config().flagsText()),
              meta.durability(),
              Integer.toString(meta.nodes()),
              Integer.toString(p.clients()),
              Report.num(p.info().measuredSeconds()),
              Long.toString(p.count()),
              Long.toString(p.errors()),
              Report.num(p.throughput()),
              Report.num(Report.micros(h, 50)),
              Report.num(Report.micros(h, 90)),
              Report.num(Report.micros(h, 99)),
              Report.num(Report.micros(h, 99.9)),
              Report.num(maxMicros(h)),
              Integer.toString(w.leaderId()),
              w.valid() ? Long.toString(w.fsyncs()) : "",
              w.valid() ? Long.toString(w.committed()) : "",
              Double.isNaN(f) ? "" : Report.num(f),
              Double.isNaN(d) ? "" : Long.toString(w.durabilityFsyncs()),
              Double.isNaN(d) ? "" : Report.num(d),
              p.fastPath() == null ? "" : Long.toString(p.fastPath().attempts()),
              p.fastPath() == null ? "" : Long.toString(p.fastPath().completed()),
              p.fastPath() == null ? "" : Long.toString(p.fastPath().bypassed()),
              p.jit().known() ? Long.toString(p.jit().totalMillis()) : "",
              p.jit().known() ? Report.num(p.jit().corePercent()) : "",
              p.cpu().known() ? Long.toString(p.cpu().totalMillis()) : "",
              p.cpu().known() ? Long.toString(p.cpu().nodeTotalMillis()) : "",
              Double.isNaN(p.cpuMicrosPerOp()) ? "" : Report.num(p.cpuMicrosPerOp()),
              p.gc().known() ? Long.toString(p.gc().nodeTotalMillis()) : "",
              p.gc().maxNodeMillis() >= 0 ? Long.toString(p.gc().maxNodeMillis()) : "",
              Integer.toString(p.round())));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A CSV field: quoted when it holds a comma, a quote or a line break. */
  static String csvText(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  static String markdown(Meta meta, List<PointResult> points) {
    StringBuilder sb = new StringBuilder("# raftkv comparison\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "%d nodes (heap %s each), durability `%s`, link delay %s, workload `%s` (seed %d); %s%.0f s warm-up"
                + " and %.0f s measured per point; %s, %d cores, commit `%s`, %s.%n%n",
            meta.nodes(),
            meta.nodeHeap(),
            meta.durability(),
            meta.linkDelay(),
            meta.workload(),
            meta.seed(),
            meta.jvmWarmupSeconds() > 0
                ? String.format(
                    Locale.ROOT,
                    "each cluster's JVMs warmed up for %.0f s at %d clients first, then ",
                    meta.jvmWarmupSeconds(),
                    meta.jvmWarmupClients())
                : "",
            meta.warmupSeconds(),
            meta.durationSeconds(),
            meta.jdk(),
            meta.cores(),
            meta.gitCommit(),
            meta.date()));
    sb.append(
        "Throughput: successful operations per second of measured wall time. Latencies: every"
            + " operation type together, in milliseconds, from HdrHistogram. Errors: failed"
            + " measured operations (kinds in `summary.json`). fsyncs/entry: the leader's fsyncs"
            + " divided by the log entries it committed during the measured window (blank if the"
            + " leader changed); dlog fsyncs/entry: the leader's durability-log fsyncs (fast"
            + " path) divided by the same entries (blank: fast path off). fast path: the share of"
            + " the client's puts, deletes and multiPuts"
            + " that completed on a supermajority; the rest fell back to the leader or went to it"
            + " at once past the client's in-flight limit (blank: fast path off). JIT %: the time"
            + " the JIT compilers of every node JVM and of the load client spent compiling during"
            + " the measured window, as a percentage of one core (a point with much more than a"
            + " few percent was measured while the machine was still compiling). CPU us/op: the"
            + " CPU time (user and system) of every node process and of the load client during the"
            + " measured window, in microseconds per successful operation: what an operation costs"
            + " the machine, which bounds throughput once the cores are busy. GC ms: the"
            + " garbage-collection pauses of the node JVMs during the measured window, all nodes"
            + " together (a paused node answers nothing; the fast path on three nodes waits for"
            + " every node).\n\n");
    boolean repeated = meta.rounds() > 1;
    if (repeated) {
      sb.append(roundsMarkdown(RoundSummary.of(points)));
      sb.append("\n## Every point\n\n");
    }
    sb.append(repeated ? "| config | round |" : "| config |")
        .append(" flags | clients | ops/s | p50 ms | p99 ms | p99.9 ms | max ms | errors |")
        .append(" fsyncs/entry | dlog fsyncs/entry | fast path | JIT % | CPU us/op | GC ms |\n");
    sb.append(repeated ? "|---|---:|" : "|---|")
        .append("---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PointResult p : points) {
      Histogram h = p.latency();
      double f = p.leader().fsyncsPerEntry();
      double d = p.fastPath() == null ? Double.NaN : p.leader().durabilityFsyncsPerEntry();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %d | %s | %s | %s | %s | %s | %s"
                  + " |%n",
              repeated ? p.config().label() + " | " + p.round() : p.config().label(),
              p.config().settingsText().isEmpty()
                  ? p.config().variant()
                  : p.config().variant() + " + " + p.config().settingsText(),
              p.clients(),
              p.throughput(),
              Report.micros(h, 50) / 1000,
              Report.micros(h, 99) / 1000,
              Report.micros(h, 99.9) / 1000,
              maxMicros(h) / 1000,
              p.errors(),
              Double.isNaN(f) ? "" : String.format(Locale.ROOT, "%.3f", f),
              Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d),
              p.fastPath() == null ? "" : Report.fastPathShare(p.fastPath()),
              p.jit().known() ? String.format(Locale.ROOT, "%.1f", p.jit().corePercent()) : "",
              Double.isNaN(p.cpuMicrosPerOp())
                  ? ""
                  : String.format(Locale.ROOT, "%.0f", p.cpuMicrosPerOp()),
              p.gc().known() ? Long.toString(p.gc().nodeTotalMillis()) : ""));
    }
    sb.append(
        "\nPlots: `throughput-vs-clients.png`, `p99-vs-clients.png`,"
            + " `latency-percentiles-c<N>.png` and `throughput-over-time-c<N>.png` per client"
            + " count. Raw data per point in `<config>/c<clients>/`.\n");
    return sb.toString();
  }

  /**
   * The table of a repeated comparison: per configuration and client count, the median, lowest and
   * highest throughput over the rounds, median latencies and CPU, and the throughput and p50 ratios
   * to the baseline round by round with their medians.
   */
  static String roundsMarkdown(RoundSummary summary) {
    String base = summary.baseline().label();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "## Over %d rounds%n%n"
                + "Each round ran every configuration once, in the order given, each on a fresh"
                + " cluster. Ratios: a configuration's throughput (ops/s ratio) and p50 latency"
                + " (p50 ratio) divided by those of `%s` at the same client count in the same"
                + " round (clusters measured minutes apart on a shared machine can differ by more"
                + " than the variants do; the median ratio is the figure to quote). Latencies and"
                + " CPU: medians over the rounds.%n%n",
            summary.rounds(),
            base));
    sb.append("| config | clients | rounds | median ops/s | min ops/s | max ops/s |")
        .append(" p50 ms | p99 ms | CPU us/op | ops/s ratio by round | median ops/s ratio |")
        .append(" p50 ratio by round | median p50 ratio |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|\n");
    for (RoundSummary.Row r : summary.rows()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              r.config().label(),
              r.clients(),
              r.measuredRounds(),
              fixed(r.medianThroughput(), "%.0f"),
              fixed(r.minThroughput(), "%.0f"),
              fixed(r.maxThroughput(), "%.0f"),
              fixed(RoundSummary.median(r.p50Millis()), "%.3f"),
              fixed(RoundSummary.median(r.p99Millis()), "%.3f"),
              fixed(RoundSummary.median(r.cpuMicrosPerOp()), "%.0f"),
              list(r.ratios()),
              fixed(r.medianRatio(), "%.2f"),
              list(r.p50Ratios()),
              fixed(r.medianP50Ratio(), "%.2f")));
    }
    return sb.toString();
  }

  /** Values to two decimals, comma-separated, "-" for {@code NaN}. */
  private static String list(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : ", ").append(fixed(v, "%.2f"));
    }
    return sb.toString();
  }

  /** {@code value} in {@code format}, or "-" for {@code NaN}. */
  private static String fixed(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  static double maxMicros(Histogram h) {
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }
}
