package io.raftkv.server;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The time this JVM's JIT compilers have spent compiling since it started, for telling whether a
 * measurement overlapped compilation. On a small machine the C2 compiler threads of freshly started
 * node JVMs take a large share of the cores for tens of seconds; a benchmark window that overlaps
 * them measures the compiler as much as the code.
 */
public final class JitTime {
  private static final CompilationMXBean BEAN = ManagementFactory.getCompilationMXBean();

  private JitTime() {}

  /**
   * Milliseconds of compilation so far, summed over the compiler threads (HotSpot's {@code
   * sun.ci.totalTime}, what {@code jstat -compiler} shows), or -1 when the JVM does not report it.
   */
  public static long totalMillis() {
    if (BEAN == null || !BEAN.isCompilationTimeMonitoringSupported()) {
      return -1;
    }
    return BEAN.getTotalCompilationTime();
  }
}
