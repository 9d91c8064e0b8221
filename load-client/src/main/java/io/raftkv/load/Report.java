package io.raftkv.load;

import io.raftkv.client.FastPathStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Writes the results of a run: per op {@code .hgrm} files, {@code summary.json}, console table. */
public final class Report {
  /** Percentiles reported everywhere, with their JSON names. */
  static final double[] PERCENTILES = {50, 90, 99, 99.9};

  static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99_9"};

  private Report() {}

  /** Writes {@code <op>.hgrm} (and {@code <op>-uncorrected.hgrm}) and {@code summary.json}. */
  public static void write(Path dir, RunInfo info, List<OpResult> results) throws IOException {
    write(dir, info, results, null);
  }

  /**
   * As {@link #write(Path, RunInfo, List)}, with the client's fast-path counters of the measured
   * window in {@code summary.json} ({@code fastPath} null: the fast path was off).
   */
  public static void write(Path dir, RunInfo info, List<OpResult> results, FastPathStats fastPath)
      throws IOException {
    Files.createDirectories(dir);
    for (OpResult r : results) {
      writeHgrm(dir.resolve(r.label() + ".hgrm"), r.histogram());
      if (r.uncorrected() != null) {
        writeHgrm(dir.resolve(r.label() + "-uncorrected.hgrm"), r.uncorrected());
      }
    }
    Files.writeString(dir.resolve("summary.json"), summaryJson(info, results, fastPath));
  }

  /** The percentile distribution in microseconds, as HdrHistogram prints it. */
  static void writeHgrm(Path file, Histogram h) throws IOException {
    try (PrintStream ps =
        new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
      h.outputPercentileDistribution(ps, 1000.0);
    }
  }

  /** The summary as hand-written JSON; latencies in microseconds. */
  public static String summaryJson(RunInfo info, List<OpResult> results) {
    return summaryJson(info, results, null);
  }

  /** As {@link #summaryJson(RunInfo, List)}, with {@code "fast_path"} unless it is null. */
  public static String summaryJson(RunInfo info, List<OpResult> results, FastPathStats fastPath) {
    StringBuilder sb = new StringBuilder();
    sb.append("{\n  \"run\": {\n");
    field(sb, 4, "cluster_size", Integer.toString(info.clusterSize()), true);
    field(sb, 4, "clients", Integer.toString(info.clients()), true);
    field(sb, 4, "workload", quote(info.workload()), true);
    field(sb, 4, "seed", Long.toString(info.seed()), true);
    field(sb, 4, "mode", quote(info.ratePerClient() > 0 ? "paced" : "closed"), true);
    field(sb, 4, "rate_per_client", num(info.ratePerClient()), true);
    field(sb, 4, "warmup_s", num(info.warmupSeconds()), true);
    field(sb, 4, "duration_s", num(info.measuredSeconds()), true);
    field(sb, 4, "jdk", quote(info.jdk()), true);
    field(sb, 4, "cores", Integer.toString(info.cores()), true);
    field(sb, 4, "git_commit", quote(info.gitCommit()), true);
    field(sb, 4, "date", quote(info.date()), false);
    sb.append("  },\n");
    long count = 0;
    long errors = 0;
    for (OpResult r : results) {
      count += r.count();
      errors += r.errorCount();
    }
    sb.append("  \"total\": {\n");
    field(sb, 4, "count", Long.toString(count), true);
    field(sb, 4, "errors", Long.toString(errors), true);
    field(sb, 4, "throughput", num(throughput(count, info.measuredSeconds())), false);
    sb.append("  },\n");
    if (fastPath != null) {
      sb.append("  \"fast_path\": ").append(fastPathJson(fastPath)).append(",\n");
    }
    sb.append("  \"ops\": {\n");
    for (int i = 0; i < results.size(); i++) {
      OpResult r = results.get(i);
      sb.append("    ").append(quote(r.label())).append(": {\n");
      field(sb, 6, "count", Long.toString(r.count()), true);
      field(sb, 6, "error_count", Long.toString(r.errorCount()), true);
      sb.append("      \"errors\": {");
      int j = 0;
      for (Map.Entry<String, Long> e : r.errors().entrySet()) {
        sb.append(j++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(e.getValue());
      }
      sb.append("},\n");
      field(sb, 6, "throughput", num(throughput(r.count(), info.measuredSeconds())), true);
      sb.append("      \"latency_us\": ").append(latencyJson(r.histogram()));
      if (r.uncorrected() != null) {
        sb.append(",\n      \"uncorrected_latency_us\": ").append(latencyJson(r.uncorrected()));
      }
      sb.append("\n    }").append(i + 1 < results.size() ? ",\n" : "\n");
    }
    sb.append("  }\n}\n");
    return sb.toString();
  }

  /** The fast-path counters as one JSON object. */
  static String fastPathJson(FastPathStats f) {
    return String.format(
        Locale.ROOT,
        "{\"attempts\": %d, \"completed\": %d, \"refused\": %d, \"timed_out\": %d,"
            + " \"straggled\": %d, \"bypassed\": %d}",
        f.attempts(),
        f.completed(),
        f.refused(),
        f.timedOut(),
        f.straggled(),
        f.bypassed());
  }

  /** The share of nilext updates that completed on the fast path, as {@code 97.5%}. */
  static String fastPathShare(FastPathStats f) {
    return f.updates() == 0
        ? "no updates"
        : String.format(Locale.ROOT, "%.1f%%", 100.0 * f.completed() / f.updates());
  }

  /** Successful operations per second of measured wall time. */
  static double throughput(long count, double seconds) {
    return seconds > 0 ? count / seconds : 0;
  }

  static String latencyJson(Histogram h) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < PERCENTILES.length; i++) {
      sb.append(quote(PERCENTILE_NAMES[i]))
          .append(": ")
          .append(num(micros(h, PERCENTILES[i])))
          .append(", ");
    }
    sb.append("\"max\": ").append(num(h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0));
    sb.append(", \"mean\": ").append(num(h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0));
    return sb.append('}').toString();
  }

  static double micros(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static void field(StringBuilder sb, int indent, String name, String value, boolean more) {
    sb.append(" ".repeat(indent)).append(quote(name)).append(": ").append(value);
    sb.append(more ? ",\n" : "\n");
  }

  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** The console table: throughput and percentiles per op, errors by kind. */
  public static String console(RunInfo info, List<OpResult> results) {
    return console(info, results, null);
  }

  /** As {@link #console(RunInfo, List)}, with a line on the fast path unless it is null. */
  public static String console(RunInfo info, List<OpResult> results, FastPathStats fastPath) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d clients, %s, %.2f s measured%s%n",
            info.clients(),
            info.workload(),
            info.measuredSeconds(),
            info.ratePerClient() > 0
                ? String.format(
                    Locale.ROOT,
                    ", paced at %.1f ops/s per client (latency from intended send time)",
                    info.ratePerClient())
                : ""));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-9s %10s %7s %10s %10s %10s %10s %10s %10s%n",
            "op",
            "count",
            "errors",
            "ops/s",
            "p50 us",
            "p90 us",
            "p99 us",
            "p99.9 us",
            "max us"));
    long total = 0;
    for (OpResult r : results) {
      total += r.count();
      Histogram h = r.histogram();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-9s %10d %7d %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f%n",
              r.label(),
              r.count(),
              r.errorCount(),
              throughput(r.count(), info.measuredSeconds()),
              micros(h, 50),
              micros(h, 90),
              micros(h, 99),
              micros(h, 99.9),
              h.getTotalCount() == 0 ? 0.0 : h.getMaxValue() / 1000.0));
      if (!r.errors().isEmpty()) {
        sb.append("          errors: ").append(r.errors()).append('\n');
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "total     %10d ops, %.1f ops/s%n",
            total,
            throughput(total, info.measuredSeconds())));
    if (fastPath != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "fast path %10d updates, %s completed on it; %d attempts, %d fell back (%d refused,"
                  + " %d timed out, %d straggled); %d bypassed it (the in-flight limit)%n",
              fastPath.updates(),
              fastPathShare(fastPath),
              fastPath.attempts(),
              fastPath.fellBack(),
              fastPath.refused(),
              fastPath.timedOut(),
              fastPath.straggled(),
              fastPath.bypassed()));
    }
    return sb.toString();
  }
}
