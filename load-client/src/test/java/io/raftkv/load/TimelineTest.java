package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Throughput over time from interval logs written the way LoadRunner writes them. */
class TimelineTest {
  @TempDir Path dir;

  private void log(String op, long[][] intervals) throws IOException {
    HistogramLogWriter w = new HistogramLogWriter(dir.resolve(op + ".hlog").toFile());
    w.outputLogFormatVersion();
    w.outputStartTime(1_000_000);
    w.setBaseTime(1_000_000);
    w.outputLegend();
    for (long[] iv : intervals) {
      Histogram h = new Histogram(3);
      for (long i = 0; i < iv[2]; i++) {
        h.recordValue(1000 + i);
      }
      h.setStartTimeStamp(iv[0]);
      h.setEndTimeStamp(iv[1]);
      w.outputIntervalHistogram(h);
    }
    w.close();
  }

  @Test
  void countsOfEveryOperationAreAddedPerIntervalAndAShortTailIsLeftOut() throws IOException {
    log(
        "put",
        new long[][] {
          {1_003_000, 1_004_000, 10}, {1_004_000, 1_005_000, 30}, {1_005_000, 1_005_100, 7}
        });
    log(
        "get",
        new long[][] {
          {1_003_000, 1_004_000, 5}, {1_004_000, 1_005_000, 5}, {1_005_000, 1_005_100, 1}
        });
    List<double[]> points = Timeline.fromIntervalLogs(dir, List.of("put", "get", "cas"));
    assertEquals(2, points.size());
    assertEquals(1.0, points.get(0)[0], 1e-9);
    assertEquals(15.0, points.get(0)[1], 1e-9);
    assertEquals(2.0, points.get(1)[0], 1e-9);
    assertEquals(35.0, points.get(1)[1], 1e-9);
  }
}
