package io.raftkv.server;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Three clocks of this JVM a benchmark reads at the edges of a measured window:
 *
 * <ul>
 *   <li>the time its JIT compilers have spent compiling since it started, for telling whether a
 *       measurement overlapped compilation (on a small machine the C2 threads of freshly started
 *       node JVMs take a large share of the cores for tens of seconds; a window that overlaps them
 *       measures the compiler as much as the code);
 *   <li>the CPU time the whole process has used, every thread, user and system, for telling what an
 *       operation costs in CPU: on a machine whose cores are the bottleneck, throughput follows the
 *       CPU per operation more than any latency does.
 * </ul>
 */
public final class JvmTimes {
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
  private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

  private JvmTimes() {}

  /**
   * Milliseconds of compilation so far, summed over the compiler threads (HotSpot's {@code
   * sun.ci.totalTime}, what {@code jstat -compiler} shows), or -1 when the JVM does not report it.
   */
  public static long compileMillis() {
    if (COMPILER == null || !COMPILER.isCompilationTimeMonitoringSupported()) {
      return -1;
    }
    return COMPILER.getTotalCompilationTime();
  }

  /**
   * Milliseconds of garbage collection so far, summed over the collectors ({@code
   * GarbageCollectorMXBean#getCollectionTime}: for G1 on Java 17, the stop-the-world pauses of its
   * young, mixed and full collections, not the work of its concurrent marking threads), or -1 when
   * no collector reports it.
   */
  public static long gcMillis() {
    long total = 0;
    boolean any = false;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long t = gc.getCollectionTime();
      if (t >= 0) {
        total += t;
        any = true;
      }
    }
    return any ? total : -1;
  }

  /**
   * Milliseconds of CPU time this process has used so far, all threads, user and system (the JDK's
   * {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}, on Linux the {@code utime +
   * stime} of {@code /proc/self/stat}), or -1 when the JVM does not report it.
   */
  public static long cpuMillis() {
    if (OS instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      return nanos < 0 ? -1 : nanos / 1_000_000;
    }
    return -1;
  }
}
