package io.raftkv.bench;

import io.raftkv.client.ClientConnectionPool;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.RaftClient;
import io.raftkv.core.RaftConfig;
import io.raftkv.kv.Bytes;
import io.raftkv.storage.Durability;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * End to end: a 3-node cluster of real servers in this JVM over loopback TCP ({@link
 * LoopbackCluster}), driven by the async client library. Each JMH thread is one client session with
 * one request outstanding (closed loop); all sessions share one connection pool. The cluster is
 * started, and a leader awaited, once per trial; {@value #KEYS} keys are written with values of
 * {@code valueBytes} before measuring, and every operation goes to the next of those keys.
 *
 * <p>{@code put} and {@code get} measure one operation type; {@code mixed} runs a put thread beside
 * a get thread (more with {@code -tg 4,4}). {@code -t 16} gives 16 concurrent clients. Throughput
 * is in operations per millisecond; sample time gives the latency distribution (percentiles) of the
 * same operations. Client and servers share this JVM and its cores.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
public class ClusterBenchmark extends RaftkvBenchmark {
  static final int KEYS = 128;

  // Held so the level stays set (JUL keeps loggers weakly): node start and stop logs would
  // otherwise interleave with JMH's output.
  private static final Logger RAFTKV_LOGGER = Logger.getLogger("io.raftkv");

  /** The cluster, the shared connection pool and the keys: one per trial. */
  @State(Scope.Benchmark)
  public static class Cluster {
    /** A preset name of {@code RaftConfig.PRESETS}. */
    @Param({"vanilla", "optimized", "fastpath"})
    public String variant;

    /** {@code memory} or {@code fsync} (also {@code nosync}). */
    @Param({"memory", "fsync"})
    public String durability;

    @Param({"100", "1024"})
    public int valueBytes;

    LoopbackCluster cluster;
    ClientConnectionPool pool;
    Bytes[] keys;
    Bytes value;

    @Setup
    public void start() throws Exception {
      RAFTKV_LOGGER.setLevel(java.util.logging.Level.WARNING);
      cluster = LoopbackCluster.start(variant, Durability.parse(durability));
      cluster.awaitLeader(Duration.ofSeconds(10));
      pool =
          ClientConnectionPool.open(
              ClientOptions.of(cluster.clientAddresses())
                  .withFastPath(
                      RaftConfig.preset(variant).nilextFastPath(), Duration.ofMillis(50)));
      byte[] v = new byte[valueBytes];
      Arrays.fill(v, (byte) 'v');
      value = Bytes.of(v);
      keys = new Bytes[KEYS];
      RaftClient loader = pool.newSession();
      for (int k = 0; k < KEYS; k++) {
        keys[k] = Bytes.utf8("key-" + k);
        loader.put(keys[k], value).get();
      }
    }

    @TearDown
    public void stop() throws IOException {
      if (pool != null) {
        pool.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** One client session per JMH thread, walking the keys from its own starting point. */
  @State(Scope.Thread)
  public static class Session {
    RaftClient client;
    private int cursor;

    @Setup
    public void open(Cluster cluster) {
      client = cluster.pool.newSession();
      cursor = (int) Math.floorMod(client.clientId(), (long) KEYS);
    }

    Bytes nextKey(Cluster cluster) {
      int k = cursor;
      cursor = k + 1 == KEYS ? 0 : k + 1;
      return cluster.keys[k];
    }

    @TearDown
    public void close() {
      client.close();
    }
  }

  @Benchmark
  public Void put(Cluster cluster, Session session)
      throws InterruptedException, ExecutionException {
    return session.client.put(session.nextKey(cluster), cluster.value).get();
  }

  @Benchmark
  public Optional<Bytes> get(Cluster cluster, Session session)
      throws InterruptedException, ExecutionException {
    return session.client.get(session.nextKey(cluster)).get();
  }

  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public Void mixedPut(Cluster cluster, Session session)
      throws InterruptedException, ExecutionException {
    return put(cluster, session);
  }

  @Benchmark
  @Group("mixed")
  @GroupThreads(1)
  public Optional<Bytes> mixedGet(Cluster cluster, Session session)
      throws InterruptedException, ExecutionException {
    return get(cluster, session);
  }
}
