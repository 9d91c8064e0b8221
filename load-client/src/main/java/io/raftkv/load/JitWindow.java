package io.raftkv.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * JIT compilation over one window: the milliseconds each node JVM's compilers spent (their {@code
 * jitMillis} status field, asked when the window opens and when it closes) and those of this load
 * client's own JVM. On a 2-core machine the C2 threads of four fresh JVMs can take most of a core
 * for tens of seconds; a point measured while they run measures the compilers as much as the
 * variant, so every point reports this and the JVM warm-up of {@code compare} lasts until it is
 * small.
 *
 * @param nodeMillis compile milliseconds per node id; a node that did not report is absent
 * @param clientMillis compile milliseconds of the load client's JVM, or -1 if not reported
 * @param windowMillis the window's wall-clock length
 */
public record JitWindow(Map<Integer, Long> nodeMillis, long clientMillis, long windowMillis) {

  public JitWindow {
    nodeMillis = Collections.unmodifiableMap(new TreeMap<>(nodeMillis));
  }

  /** A window with nothing known (the probe did not run). */
  static JitWindow unknown() {
    return new JitWindow(Map.of(), -1, 0);
  }

  /** Whether every node and the client reported, over a window of some length. */
  public boolean complete(int nodes) {
    return nodeMillis.size() == nodes && clientMillis >= 0 && windowMillis > 0;
  }

  /** Compile milliseconds of every JVM that reported, together. */
  public long totalMillis() {
    long total = Math.max(0, clientMillis);
    for (long m : nodeMillis.values()) {
      total += m;
    }
    return total;
  }

  /**
   * Compilation as a percentage of one core over the window, all JVMs together: 100 means one core
   * did nothing but compile for the whole window. NaN when the window has no length.
   */
  public double corePercent() {
    return windowMillis > 0 ? 100.0 * totalMillis() / windowMillis : Double.NaN;
  }

  /**
   * Compares the {@code jitMillis} of two status answers per node, and two readings of this JVM.
   */
  static JitWindow between(
      Map<Integer, Map<String, String>> before,
      Map<Integer, Map<String, String>> after,
      long clientBefore,
      long clientAfter,
      long windowMillis) {
    Map<Integer, Long> nodes = new LinkedHashMap<>();
    for (Map.Entry<Integer, Map<String, String>> e : before.entrySet()) {
      Map<String, String> end = after.get(e.getKey());
      long b = millis(e.getValue());
      long a = millis(end);
      if (b >= 0 && a >= b) {
        nodes.put(e.getKey(), a - b);
      }
    }
    long client =
        clientBefore >= 0 && clientAfter >= clientBefore ? clientAfter - clientBefore : -1;
    return new JitWindow(nodes, client, windowMillis);
  }

  private static long millis(Map<String, String> status) {
    if (status == null) {
      return -1;
    }
    try {
      String v = status.get("jitMillis");
      return v == null ? -1 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
