package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.raftkv.client.NoQuorumException;
import io.raftkv.client.OutcomeUnknownException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OpStatsTest {
  @Test
  void pacedModeKeepsTheCorrectedAndTheUncorrectedLatencyApart() {
    OpStats s = new OpStats(Op.GET, true, null, null);
    s.recordSuccess(5_000_000, 1_000_000);
    s.rollInterval();
    OpResult r = s.result();
    assertEquals(5_000_000.0, (double) r.histogram().getMaxValue(), 5_000.0);
    assertEquals(1_000_000.0, (double) r.uncorrected().getMaxValue(), 1_000.0);
  }

  @Test
  void closedLoopRecordsOnlyTheActualLatency() {
    OpStats s = new OpStats(Op.PUT, false, null, null);
    s.recordSuccess(5_000_000, 1_000_000);
    s.rollInterval();
    OpResult r = s.result();
    assertEquals(1_000_000.0, (double) r.histogram().getMaxValue(), 1_000.0);
    assertNull(r.uncorrected());
  }

  /**
   * Operations recorded before the measured window's hook ran (it is a little late) go into the
   * first logged interval, so the interval log adds up to the totals.
   */
  @Test
  void operationsRecordedBeforeTheWindowHookAreInTheFirstLoggedInterval() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    org.HdrHistogram.HistogramLogWriter log =
        new org.HdrHistogram.HistogramLogWriter(new java.io.PrintStream(bytes, true, "UTF-8"));
    OpStats s = new OpStats(Op.PUT, false, log, null);
    s.recordSuccess(0, 1_000_000);
    s.recordSuccess(0, 2_000_000);
    s.startMeasuredIntervals();
    s.recordSuccess(0, 3_000_000);
    s.rollInterval();
    s.recordSuccess(0, 4_000_000);
    s.rollInterval();
    log.close();
    org.HdrHistogram.HistogramLogReader reader =
        new org.HdrHistogram.HistogramLogReader(
            new java.io.ByteArrayInputStream(bytes.toByteArray()));
    long logged = 0;
    while (reader.hasNext()) {
      logged += ((org.HdrHistogram.Histogram) reader.nextIntervalHistogram()).getTotalCount();
    }
    assertEquals(4, s.result().histogram().getTotalCount());
    assertEquals(4, logged, "the interval log holds every measured operation");
  }

  @Test
  void errorsAreCountedByKind() {
    OpStats s = new OpStats(Op.PUT, false, null, null);
    s.recordError(LoadRunner.errorKind(new CompletionException(new NoQuorumException("x"))));
    s.recordError(LoadRunner.errorKind(new OutcomeUnknownException("y")));
    s.recordError(LoadRunner.errorKind(new TimeoutException()));
    s.recordError(LoadRunner.errorKind(new TimeoutException()));
    assertEquals(
        Map.of("no_quorum", 1L, "outcome_unknown", 1L, "timeout", 2L), s.result().errors());
    assertEquals(4, s.result().errorCount());
  }
}
