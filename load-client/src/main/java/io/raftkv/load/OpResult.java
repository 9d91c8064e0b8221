package io.raftkv.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The measured results of one operation type.
 *
 * @param histogram latencies of successful operations in nanoseconds (from the intended send time
 *     in paced mode)
 * @param uncorrected in paced mode, latencies from the actual send time; otherwise {@code null}
 * @param errors failed operations by kind
 */
public record OpResult(
    String label, Histogram histogram, Histogram uncorrected, Map<String, Long> errors) {

  public long count() {
    return histogram.getTotalCount();
  }

  public long errorCount() {
    long n = 0;
    for (long v : errors.values()) {
      n += v;
    }
    return n;
  }
}
