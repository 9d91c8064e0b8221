package io.raftkv.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One clock of every JVM over one window: the milliseconds each node JVM's clock advanced (a status
 * field such as {@code jitMillis} or {@code cpuMillis}, asked when the window opens and when it
 * closes) and those of this load client's own JVM.
 *
 * <p>Three clocks are read. The JIT's compile time: on a 2-core machine the C2 threads of four
 * fresh JVMs can take most of a core for tens of seconds, and a point measured while they run
 * measures the compilers as much as the variant, so every point reports it and the JVM warm-up of
 * {@code compare} lasts until it is small. And the process CPU time: when the cores are the
 * bottleneck, as with many clients on a small machine, throughput follows the CPU an operation
 * costs, all processes together, more than any latency. And the garbage collectors' pauses: a
 * paused node answers nothing, and an update that needs every replica (the fast path on three
 * nodes) waits for whichever node is paused, where a majority quorum waits only for a paused
 * leader.
 *
 * @param nodeMillis the clock's advance per node id; a node that did not report is absent
 * @param clientMillis the advance of the load client's JVM, or -1 if not read
 * @param windowMillis the window's wall-clock length
 */
public record JvmTimeWindow(Map<Integer, Long> nodeMillis, long clientMillis, long windowMillis) {

  /** The status field of a node's compile time so far. */
  static final String JIT = "jitMillis";

  /** The status field of a node's process CPU time so far. */
  static final String CPU = "cpuMillis";

  /** The status field of a node's garbage-collection pauses so far. */
  static final String GC = "gcMillis";

  public JvmTimeWindow {
    nodeMillis = Collections.unmodifiableMap(new TreeMap<>(nodeMillis));
  }

  /** A window with nothing known (the probe did not run). */
  static JvmTimeWindow unknown() {
    return new JvmTimeWindow(Map.of(), -1, 0);
  }

  /** Whether the window was read at all (it has a length). */
  public boolean known() {
    return windowMillis > 0;
  }

  /** Whether every node and the client reported, over a window of some length. */
  public boolean complete(int nodes) {
    return nodeMillis.size() == nodes && clientMillis >= 0 && windowMillis > 0;
  }

  /** The advance of every JVM that reported, together. */
  public long totalMillis() {
    long total = Math.max(0, clientMillis);
    for (long m : nodeMillis.values()) {
      total += m;
    }
    return total;
  }

  /** The advance of the node JVMs that reported, together. */
  public long nodeTotalMillis() {
    long total = 0;
    for (long m : nodeMillis.values()) {
      total += m;
    }
    return total;
  }

  /**
   * The clock's advance as a percentage of one core over the window, all JVMs together: for the
   * JIT, 100 means one core did nothing but compile for the whole window. NaN when the window has
   * no length.
   */
  public double corePercent() {
    return windowMillis > 0 ? 100.0 * totalMillis() / windowMillis : Double.NaN;
  }

  /**
   * Microseconds of the clock per operation, all JVMs together: for the CPU clock, what one of
   * {@code operations} cost in CPU, client and nodes. NaN without operations or a window.
   */
  public double microsPerOp(long operations) {
    return operations > 0 && windowMillis > 0 ? 1000.0 * totalMillis() / operations : Double.NaN;
  }

  /** The largest advance of any one node, or -1 when no node reported. */
  public long maxNodeMillis() {
    long max = -1;
    for (long m : nodeMillis.values()) {
      max = Math.max(max, m);
    }
    return max;
  }

  /** As {@link #microsPerOp}, the node JVMs only. */
  public double nodeMicrosPerOp(long operations) {
    return operations > 0 && windowMillis > 0
        ? 1000.0 * nodeTotalMillis() / operations
        : Double.NaN;
  }

  /**
   * Compares the {@code field} of two status answers per node, and two readings of this JVM's same
   * clock.
   */
  static JvmTimeWindow between(
      String field,
      Map<Integer, Map<String, String>> before,
      Map<Integer, Map<String, String>> after,
      long clientBefore,
      long clientAfter,
      long windowMillis) {
    Map<Integer, Long> nodes = new LinkedHashMap<>();
    for (Map.Entry<Integer, Map<String, String>> e : before.entrySet()) {
      Map<String, String> end = after.get(e.getKey());
      long b = millis(e.getValue(), field);
      long a = millis(end, field);
      if (b >= 0 && a >= b) {
        nodes.put(e.getKey(), a - b);
      }
    }
    long client =
        clientBefore >= 0 && clientAfter >= clientBefore ? clientAfter - clientBefore : -1;
    return new JvmTimeWindow(nodes, client, windowMillis);
  }

  private static long millis(Map<String, String> status, String field) {
    if (status == null) {
      return -1;
    }
    try {
      String v = status.get(field);
      return v == null ? -1 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
