package io.raftkv.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * Latency and errors of one operation type. Recording is thread-safe (event loop threads); {@link
 * #rollInterval} is called by one thread at a time (the reporter). Latencies are in nanoseconds. In
 * paced mode the main recorder holds latency from the intended send time and the uncorrected one
 * from the actual send time; in closed-loop mode there is only the main recorder, from the actual
 * send time (no correction is ever applied twice).
 */
final class OpStats {
  private final Op op;
  private final Recorder recorder = new Recorder(3);
  private final Recorder uncorrectedRecorder;
  private final Histogram total = new Histogram(3);
  private final Histogram uncorrectedTotal;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final HistogramLogWriter log;
  private final HistogramLogWriter uncorrectedLog;
  // Measured operations recorded before the measured window's hook ran; rolling threads only.
  private Histogram carry;
  private Histogram uncorrectedCarry;

  OpStats(Op op, boolean paced, HistogramLogWriter log, HistogramLogWriter uncorrectedLog) {
    this.op = op;
    this.uncorrectedRecorder = paced ? new Recorder(3) : null;
    this.uncorrectedTotal = paced ? new Histogram(3) : null;
    this.log = log;
    this.uncorrectedLog = uncorrectedLog;
  }

  Op op() {
    return op;
  }

  /** A successful operation: latency from the intended and from the actual send time. */
  void recordSuccess(long intendedLatencyNanos, long actualLatencyNanos) {
    if (uncorrectedRecorder == null) {
      recorder.recordValue(Math.max(0, actualLatencyNanos));
    } else {
      recorder.recordValue(Math.max(0, intendedLatencyNanos));
      uncorrectedRecorder.recordValue(Math.max(0, actualLatencyNanos));
    }
  }

  void recordError(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /**
   * Starts the first logged interval now (at the end of the warm-up), so the log's first interval
   * is a measured second rather than one whose start time lies in the warm-up. Only measured
   * operations are ever recorded, but some complete before this hook runs (the timer is a little
   * late); they are carried into the first interval, so the interval log always adds up to the
   * totals.
   */
  void startMeasuredIntervals() {
    carry = recorder.getIntervalHistogram();
    if (uncorrectedRecorder != null) {
      uncorrectedCarry = uncorrectedRecorder.getIntervalHistogram();
    }
  }

  /** Moves what was recorded since the last call into the totals and the interval logs. */
  void rollInterval() {
    Histogram h = withCarry(recorder.getIntervalHistogram(), carry);
    carry = null;
    total.add(h);
    if (log != null) {
      log.outputIntervalHistogram(h);
    }
    if (uncorrectedRecorder != null) {
      Histogram u = withCarry(uncorrectedRecorder.getIntervalHistogram(), uncorrectedCarry);
      uncorrectedCarry = null;
      uncorrectedTotal.add(u);
      if (uncorrectedLog != null) {
        uncorrectedLog.outputIntervalHistogram(u);
      }
    }
  }

  /** {@code interval} plus {@code carried}, keeping the interval's own start time. */
  private static Histogram withCarry(Histogram interval, Histogram carried) {
    if (carried == null || carried.getTotalCount() == 0) {
      return interval;
    }
    long start = interval.getStartTimeStamp();
    interval.add(carried);
    interval.setStartTimeStamp(start);
    return interval;
  }

  /** Successful operations rolled so far. */
  long successes() {
    return total.getTotalCount();
  }

  OpResult result() {
    Map<String, Long> e = new TreeMap<>();
    errors.forEach((k, v) -> e.put(k, v.sum()));
    return new OpResult(
        op.label(), total.copy(), uncorrectedTotal == null ? null : uncorrectedTotal.copy(), e);
  }
}
