package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fsyncs per committed entry from two status answers of the leader. */
class LeaderWindowTest {
  static Map<String, String> status(String role, long term, long commit, long fsyncs) {
    return Map.of(
        "role",
        role,
        "term",
        Long.toString(term),
        "commitIndex",
        Long.toString(commit),
        "fsyncs",
        Long.toString(fsyncs));
  }

  @Test
  void theSameLeaderInTheSameTermGivesTheDifferences() {
    LeaderWindow w =
        LeaderWindow.between(2, status("LEADER", 3, 100, 40), status("LEADER", 3, 1100, 290));
    assertTrue(w.valid());
    assertEquals(1000, w.committed());
    assertEquals(250, w.fsyncs());
    assertEquals(0.25, w.fsyncsPerEntry(), 1e-12);
    assertEquals(-1, w.durabilityFsyncs(), "an older status without the field");
    assertTrue(Double.isNaN(w.durabilityFsyncsPerEntry()));
  }

  @Test
  void durabilityLogFsyncsAreCountedOverTheSameWindow() {
    Map<String, String> before = new HashMap<>(status("LEADER", 3, 100, 40));
    before.put("durabilityFsyncs", "500");
    Map<String, String> after = new HashMap<>(status("LEADER", 3, 1100, 60));
    after.put("durabilityFsyncs", "700");
    LeaderWindow w = LeaderWindow.between(1, before, after);
    assertEquals(200, w.durabilityFsyncs());
    assertEquals(0.2, w.durabilityFsyncsPerEntry(), 1e-12);
    assertEquals(0.02, w.fsyncsPerEntry(), 1e-12);
  }

  @Test
  void aChangeOfLeaderOrTermGivesNoFigure() {
    LeaderWindow lost =
        LeaderWindow.between(2, status("LEADER", 3, 100, 40), status("FOLLOWER", 4, 900, 90));
    assertFalse(lost.valid());
    assertTrue(Double.isNaN(lost.fsyncsPerEntry()));
    assertTrue(lost.note().contains("did not lead"), lost.note());
    LeaderWindow reelected =
        LeaderWindow.between(2, status("LEADER", 3, 100, 40), status("LEADER", 5, 900, 90));
    assertFalse(reelected.valid());
    assertTrue(
        Double.isNaN(
            LeaderWindow.between(1, status("LEADER", 1, 5, 5), status("LEADER", 1, 5, 5))
                .fsyncsPerEntry()));
  }
}
