package io.raftkv.load;

import io.raftkv.client.FastPathStats;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One measured point of a comparison: a configuration at a client count, its per-operation results
 * and the leader's counters over the measured window.
 *
 * @param round which repetition of the configuration this point belongs to, from 1 ({@code compare
 *     --repeat}; always 1 without it)
 * @param fastPath the client's fast-path counters over the measured window, or null when the fast
 *     path was off
 * @param jit JIT compilation of every JVM during the measured window ({@link
 *     JvmTimeWindow#unknown()} when not probed)
 * @param cpu the process CPU time of every JVM during the measured window ({@link
 *     JvmTimeWindow#unknown()} when not probed)
 * @param gc the garbage-collection pauses of every JVM during the measured window ({@link
 *     JvmTimeWindow#unknown()} when not probed)
 * @param dir where the point's raw files ({@code .hgrm}, {@code .hlog}, {@code summary.json}) are
 */
public record PointResult(
    ClusterConfig config,
    int clients,
    int round,
    RunInfo info,
    List<OpResult> results,
    LeaderWindow leader,
    FastPathStats fastPath,
    JvmTimeWindow jit,
    JvmTimeWindow cpu,
    JvmTimeWindow gc,
    Path dir) {

  public PointResult {
    if (round < 1) {
      throw new IllegalArgumentException("round must be at least 1: " + round);
    }
  }

  /** Successful measured operations, all types. */
  public long count() {
    long n = 0;
    for (OpResult r : results) {
      n += r.count();
    }
    return n;
  }

  /** Failed measured operations, all types and kinds. */
  public long errors() {
    long n = 0;
    for (OpResult r : results) {
      n += r.errorCount();
    }
    return n;
  }

  /** Successful operations per second of measured wall time. */
  public double throughput() {
    return Report.throughput(count(), info.measuredSeconds());
  }

  /** CPU microseconds per successful operation, all JVMs together; NaN when not probed. */
  public double cpuMicrosPerOp() {
    return cpu.microsPerOp(count());
  }

  /** The latencies of every operation type together, in nanoseconds. */
  public Histogram latency() {
    Histogram all = new Histogram(3);
    for (OpResult r : results) {
      all.add(r.histogram());
    }
    return all;
  }
}
