package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A clock over a window from the nodes' status fields and this JVM's readings. */
class JvmTimeWindowTest {
  private static Map<String, String> jit(long millis) {
    return Map.of("role", "FOLLOWER", "jitMillis", Long.toString(millis));
  }

  @Test
  void differencesPerNodeAndForTheClientMakeTheCoreShare() {
    JvmTimeWindow w =
        JvmTimeWindow.between(
            JvmTimeWindow.JIT,
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
    JvmTimeWindow w =
        JvmTimeWindow.between(
            JvmTimeWindow.JIT,
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
    JvmTimeWindow w =
        JvmTimeWindow.between(
            JvmTimeWindow.JIT, Map.of(1, jit(900)), Map.of(1, jit(100)), 5, 4, 1000);
    assertTrue(w.nodeMillis().isEmpty());
    assertEquals(-1, w.clientMillis());
  }

  @Test
  void theCpuClockIsReadFromItsOwnFieldAndDividedByOperations() {
    Map<String, String> before = Map.of("jitMillis", "100", "cpuMillis", "20000");
    Map<String, String> after = Map.of("jitMillis", "150", "cpuMillis", "21500");
    JvmTimeWindow w =
        JvmTimeWindow.between(
            JvmTimeWindow.CPU,
            Map.of(1, before, 2, before),
            Map.of(1, after, 2, Map.of("cpuMillis", "20500")),
            3000,
            4000,
            2000);
    assertEquals(Map.of(1, 1500L, 2, 500L), w.nodeMillis());
    assertEquals(2000, w.nodeTotalMillis());
    assertEquals(3000, w.totalMillis());
    // 3 s of CPU in 2 s: one and a half cores; 10,000 operations: 300 us each, 200 in the nodes.
    assertEquals(150.0, w.corePercent(), 1e-9);
    assertEquals(300.0, w.microsPerOp(10_000), 1e-9);
    assertEquals(200.0, w.nodeMicrosPerOp(10_000), 1e-9);
    assertEquals(1500, w.maxNodeMillis());
    assertTrue(Double.isNaN(w.microsPerOp(0)));
  }

  @Test
  void anUnprobedWindowHasNoShare() {
    JvmTimeWindow w = JvmTimeWindow.unknown();
    assertTrue(Double.isNaN(w.corePercent()));
    assertTrue(Double.isNaN(w.microsPerOp(100)));
    assertFalse(w.complete(0));
    assertFalse(w.known());
    assertEquals(-1, w.maxNodeMillis());
  }
}
