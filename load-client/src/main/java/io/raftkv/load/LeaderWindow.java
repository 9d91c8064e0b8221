package io.raftkv.load;

import java.util.Map;

/**
 * The leader's counters over the measured window of one point: its {@code fsyncs} and {@code
 * commitIndex} from {@code status} asked when the window opens and when it closes, so that fsyncs
 * per committed entry can be reported. Valid only if the same node led in the same term at both
 * ends; otherwise {@link #note} says why there is no figure.
 *
 * @param leaderId the node asked
 * @param fsyncs fsyncs of its Raft log the leader did during the window
 * @param durabilityFsyncs fsyncs of its durability log (fast path) during the window, or -1 if its
 *     status does not report them
 * @param committed log entries the leader committed during the window (vanilla reads included: they
 *     go through the log)
 */
public record LeaderWindow(
    int leaderId, boolean valid, long fsyncs, long durabilityFsyncs, long committed, String note) {

  /** Fsyncs per committed entry, or NaN when invalid or nothing was committed. */
  public double fsyncsPerEntry() {
    return valid && committed > 0 ? (double) fsyncs / committed : Double.NaN;
  }

  /**
   * Durability-log fsyncs per committed entry (the fast path's extra disk barriers, one per group
   * of accepted updates), or NaN when invalid, not reported or nothing was committed.
   */
  public double durabilityFsyncsPerEntry() {
    return valid && committed > 0 && durabilityFsyncs >= 0
        ? (double) durabilityFsyncs / committed
        : Double.NaN;
  }

  /** A window with no figures and the reason. */
  static LeaderWindow missing(int leaderId, String note) {
    return new LeaderWindow(leaderId, false, 0, -1, 0, note);
  }

  /** Compares two status answers of node {@code leaderId}. */
  static LeaderWindow between(int leaderId, Map<String, String> before, Map<String, String> after) {
    if (!"LEADER".equals(before.get("role")) || !"LEADER".equals(after.get("role"))) {
      return missing(leaderId, "node " + leaderId + " did not lead for the whole window");
    }
    if (!before.get("term").equals(after.get("term"))) {
      return missing(leaderId, "the leader's term changed during the window");
    }
    try {
      long fsyncs = Long.parseLong(after.get("fsyncs")) - Long.parseLong(before.get("fsyncs"));
      long committed =
          Long.parseLong(after.get("commitIndex")) - Long.parseLong(before.get("commitIndex"));
      String dBefore = before.get("durabilityFsyncs");
      String dAfter = after.get("durabilityFsyncs");
      long durabilityFsyncs =
          dBefore == null || dAfter == null ? -1 : Long.parseLong(dAfter) - Long.parseLong(dBefore);
      return new LeaderWindow(leaderId, true, fsyncs, durabilityFsyncs, committed, "");
    } catch (NumberFormatException | NullPointerException e) {
      return missing(leaderId, "status without fsyncs or commitIndex: " + after);
    }
  }
}
