package io.raftkv.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Throughput over time from the per-second interval logs a {@link LoadRunner} writes ({@code
 * <op>.hlog}, one interval histogram per second per operation): the counts of every operation type
 * added up per interval. The first interval starts at the end of the warm-up.
 */
public final class Timeline {
  /**
   * Shorter intervals are left out: the last one of a run (from the last full second to the last
   * completion) holds a few stragglers whose rate means little. It stays in the {@code .hlog}.
   */
  static final double MIN_INTERVAL_SECONDS = 0.5;

  private Timeline() {}

  /**
   * Points {@code {seconds since the first interval began, successful ops per second}}, one per
   * interval, for the {@code .hlog} files of {@code ops} in {@code dir}.
   */
  public static List<double[]> fromIntervalLogs(Path dir, List<String> ops) throws IOException {
    List<long[]> intervals = new ArrayList<>(); // {start ms, end ms, count}
    for (String op : ops) {
      Path file = dir.resolve(op + ".hlog");
      if (!Files.exists(file)) {
        continue;
      }
      HistogramLogReader reader = new HistogramLogReader(file.toFile());
      try {
        int i = 0;
        for (EncodableHistogram h = reader.nextIntervalHistogram();
            h != null;
            h = reader.nextIntervalHistogram(), i++) {
          long count = ((org.HdrHistogram.Histogram) h).getTotalCount();
          if (i < intervals.size()) {
            intervals.get(i)[2] += count;
          } else {
            intervals.add(new long[] {h.getStartTimeStamp(), h.getEndTimeStamp(), count});
          }
        }
      } finally {
        reader.close();
      }
    }
    List<double[]> points = new ArrayList<>();
    if (intervals.isEmpty()) {
      return points;
    }
    long origin = intervals.get(0)[0];
    for (long[] iv : intervals) {
      double seconds = (iv[1] - iv[0]) / 1000.0;
      if (seconds >= MIN_INTERVAL_SECONDS) {
        points.add(new double[] {(iv[1] - origin) / 1000.0, iv[2] / seconds});
      }
    }
    return points;
  }
}
