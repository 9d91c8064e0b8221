package io.raftkv.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The defaults every benchmark of the suite inherits (JMH annotations are inherited, as in
 * JMHSample_24_Inheritance): two forks, three warm-up and five measurement iterations of two
 * seconds each, average time per operation in microseconds. A subclass overrides the mode or the
 * time unit where another one reads better (nanoseconds for the codec, throughput and sample time
 * for the cluster); command-line options ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code
 * -r}, {@code -bm}, {@code -tu}) override all of them.
 *
 * <p>Two forks, so that a result is not the luck of one JIT compilation; the heap is fixed so that
 * runs on machines with different memory size the same.
 */
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class RaftkvBenchmark {}
