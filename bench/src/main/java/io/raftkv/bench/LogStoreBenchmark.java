package io.raftkv.bench;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import io.raftkv.storage.Durability;
import io.raftkv.storage.LogStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link LogStore#persist} of a batch of {@code batchSize} new entries: with {@code fsync} one
 * write and one fsync per batch (group commit), with {@code nosync} the write alone, with {@code
 * memory} the in-memory store. The time is per batch; divide by the batch size for the cost per
 * entry.
 *
 * <p>The store keeps every entry in memory as well as on disk, so an endless append would grow both
 * without bound. Before an invocation that would take the log past {@value #MAX_ENTRIES} entries,
 * the log is cut back to two entries, off the clock (an {@link Level#Invocation} fixture: fine
 * here, since one persist takes microseconds to milliseconds, far above the cost of the timestamps
 * that level needs). The data directory is under {@code java.io.tmpdir}: which file system that is
 * decides what an fsync costs.
 */
@State(Scope.Thread)
public class LogStoreBenchmark extends RaftkvBenchmark {
  /** The log length past which it is cut back (about 10 MB of 100-byte entries). */
  static final int MAX_ENTRIES = 1 << 16;

  @Param({"1", "16", "256"})
  public int batchSize;

  /** {@code fsync}, {@code nosync} or {@code memory} ({@link Durability#parse}). */
  @Param({"fsync", "nosync"})
  public String durability;

  /** Bytes of each entry's command. */
  @Param({"100"})
  public int entryBytes;

  private TempDirectory dir;
  private LogStore store;
  private byte[] command;
  private List<Entry> batch;

  @Setup(Level.Trial)
  public void openStore() throws IOException {
    dir = TempDirectory.create("raftkv-bench-log-");
    store = LogStore.open(dir.path(), Durability.parse(durability));
    command = new byte[entryBytes];
    Arrays.fill(command, (byte) 'x');
    // The first entry creates the segment file, so no measured batch pays for that.
    store.persist(new HardState(1, 1), List.of(Entry.command(1, 1, command)));
  }

  /** Builds the next batch; cuts the log back to two entries when it would grow too long. */
  @Setup(Level.Invocation)
  public void nextBatch() throws IOException {
    if (store.lastIndex() + batchSize > MAX_ENTRIES) {
      store.persist(null, List.of(Entry.command(1, 2, command)));
    }
    long first = store.lastIndex() + 1;
    List<Entry> entries = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      entries.add(Entry.command(1, first + i, command));
    }
    batch = entries;
  }

  @TearDown(Level.Trial)
  public void closeStore() throws IOException {
    try {
      store.close();
    } finally {
      dir.close();
    }
  }

  @Benchmark
  public long persistBatch() throws IOException {
    store.persist(null, batch);
    return store.lastIndex();
  }
}
