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
   * Starts the first logged interval now (at the end of the warm-up): what was recorded so far goes
   * into the totals but not into the interval log, so the log's first interval is a full measured
   * second instead of one that also spans the warm-up.
   */
  void startMeasuredIntervals() {
    total.add(recorder.getIntervalHistogram());
    if (uncorrectedRecorder != null) {
      uncorrectedTotal.add(uncorrectedRecorder.getIntervalHistogram());
    }
  }

  /** Moves what was recorded since the last call into the totals and the interval logs. */
  void rollInterval() {
    Histogram h = recorder.getIntervalHistogram();
    total.add(h);
    if (log != null) {
      log.outputIntervalHistogram(h);
    }
    if (uncorrectedRecorder != null) {
      Histogram u = uncorrectedRecorder.getIntervalHistogram();
      uncorrectedTotal.add(u);
      if (uncorrectedLog != null) {
        uncorrectedLog.outputIntervalHistogram(u);
      }
    }
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
