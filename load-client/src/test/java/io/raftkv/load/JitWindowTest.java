package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compile time over a window from the nodes' {@code jitMillis} and this JVM's readings. */
class JitWindowTest {
  private static Map<String, String> jit(long millis) {
    return Map.of("role", "FOLLOWER", "jitMillis", Long.toString(millis));
  }

  @Test
  void differencesPerNodeAndForTheClientMakeTheCoreShare() {
    JitWindow w =
        JitWindow.between(
            Map.of(1, jit(1000), 2, jit(5000), 3, jit(200)),
            Map.of(1, jit(1600), 2, jit(5100), 3, jit(500)),
            7000,
            7200,
            4000);
    assertEquals(Map.of(1, 600L, 2, 100L, 3, 300L), w.nodeMillis());
    assertEquals(200, w.clientMillis());
    assertEquals(1200, w.totalMillis());
    // 1.2 s of compiling in a 4 s window: 30% of one core.
    assertEquals(30.0, w.corePercent(), 1e-9);
    assertTrue(w.complete(3));
  }

  @Test
  void aNodeThatDidNotAnswerOrReportIsLeftOutAndTheWindowIsIncomplete() {
    JitWindow w =
        JitWindow.between(
            Map.of(1, jit(1000), 2, Map.of("role", "LEADER"), 3, jit(10)),
            Map.of(1, jit(1500), 2, Map.of("role", "LEADER")),
            -1,
            -1,
            1000);
    assertEquals(Map.of(1, 500L), w.nodeMillis());
    assertEquals(-1, w.clientMillis());
    assertEquals(500, w.totalMillis());
    assertFalse(w.complete(3));
    assertFalse(w.complete(1), "the client did not report");
  }

  @Test
  void aCounterThatWentBackwardsIsNoFigure() {
    // A restarted node starts its count again.
    JitWindow w = JitWindow.between(Map.of(1, jit(900)), Map.of(1, jit(100)), 5, 4, 1000);
    assertTrue(w.nodeMillis().isEmpty());
    assertEquals(-1, w.clientMillis());
  }

  @Test
  void anUnprobedWindowHasNoShare() {
    JitWindow w = JitWindow.unknown();
    assertTrue(Double.isNaN(w.corePercent()));
    assertFalse(w.complete(0));
  }
}
