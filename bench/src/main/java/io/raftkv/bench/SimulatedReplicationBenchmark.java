package io.raftkv.bench;

import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU cost of the pure Raft core per committed entry, per variant and cluster size, with no
 * I/O, threads or clock ({@link SynchronousCluster}): one invocation proposes one command of
 * {@value #COMMAND_BYTES} bytes at the leader and delivers every message and Ready until the
 * cluster is quiet, by which time the leader has committed and applied it (followers apply it when
 * the next AppendEntries brings the new commit index, that is in the next invocation, so in steady
 * state each invocation carries the full work of one entry on every node).
 *
 * <p>Proposals come one at a time, so batching has nothing to batch here and pipelining never has
 * more than one AppendEntries in flight: this measures what each flag costs or saves per entry on
 * the CPU, not its effect under concurrent load ({@code ClusterBenchmark} with many threads shows
 * that). No ticks pass, so heartbeats are not counted.
 *
 * <p>The core keeps its whole log in memory (no compaction yet), so the cluster is rebuilt, and a
 * leader elected, before every iteration: the heap stays bounded whatever the iteration time. An
 * iteration far longer than the default needs a bigger heap ({@code -jvmArgsAppend -Xmx4g}).
 */
@State(Scope.Thread)
public class SimulatedReplicationBenchmark extends RaftkvBenchmark {
  static final int COMMAND_BYTES = 100;

  /** A preset name of {@link RaftConfig#PRESETS}. */
  @Param({"vanilla", "optimized"})
  public String variant;

  @Param({"3", "5"})
  public int clusterSize;

  private final List<byte[]> command = List.of(filled(COMMAND_BYTES));
  private SynchronousCluster cluster;
  private RaftNode leader;
  private int leaderId;

  private static byte[] filled(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'c');
    return b;
  }

  @Setup(Level.Iteration)
  public void electLeader() {
    cluster = new SynchronousCluster(RaftConfig.preset(variant), clusterSize, 7);
    leaderId = cluster.elect();
    leader = cluster.node(leaderId);
    // One entry so that every invocation, the first included, also carries a commit to followers.
    commitOne();
  }

  @Benchmark
  public long commitOne() {
    ProposeResult result = leader.propose(command);
    cluster.settle();
    if (!(result instanceof ProposeResult.Accepted accepted)
        || cluster.appliedIndex(leaderId) < accepted.lastIndex()) {
      throw new IllegalStateException("the proposal did not commit: " + result + " " + leader);
    }
    return accepted.lastIndex();
  }
}
