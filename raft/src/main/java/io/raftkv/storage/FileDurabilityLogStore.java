package io.raftkv.storage;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DurabilityLogStore} in the file {@code durability.log} of a node's data directory
 * ({@link Durability#FSYNC} or {@link Durability#NOSYNC}); records as in {@link
 * DurabilityRecordCodec}. The directory's {@code LOCK} is held by the node's {@link FileLogStore},
 * which is opened first; this store takes no lock of its own.
 *
 * <p>Writes: an append batch is one positional write of all its ENTRY records and, in FSYNC mode,
 * one {@code force(false)}; a raised fence is one FENCE record, forced. Removals are collected in
 * memory and written, not forced, as one REMOVE record once {@value #REMOVAL_BATCH} ids wait (and
 * at {@link #close}); a compaction, which writes only the live entries, makes the ones waiting
 * moot. A replica removes every applied update, so writing each iteration's removals at once cost a
 * write system call per iteration on every replica; the interface's durability contract already
 * allows a crash to lose removals (the entries reappear after a restart, harmlessly). When the file
 * holds many more records than live entries (most were removed), it is compacted: the live entries
 * and the fence are written to {@code durability.log.tmp}, forced, renamed over the file and the
 * directory forced, so a crash leaves the old or the new file whole. The old file is still open
 * when the rename unlinks it and when the directory is forced, and its channel is closed afterwards
 * on a thread of its own: the last close of an unlinked file frees its blocks. Done on the node
 * loop, by the rename, that took 10 to 20 ms for a file of some megabytes here (compacting took 1
 * to 7 ms after the change, in a standalone run of 64-entry batches), and it stalled every
 * fast-path update in flight, since in a 3-node cluster every replica's acknowledgment is needed.
 *
 * <p>Recovery on {@link #open}: the records are replayed in order (an entry again re-tags it in
 * place, a removal removes, the highest fence wins). An invalid record with nothing valid after it
 * is a torn write: the file is cut there with a warning. An invalid record followed by a valid one,
 * or a record whose CRC matches but whose content is impossible (an undecodable command, say),
 * throws {@link CorruptLogException} with the file and offset: an acknowledged update may be lost,
 * so the node must not start. A temporary file left by a crash during compaction is deleted.
 *
 * <p>Invariants: the in-memory copy equals the replay of the file minus the removals waiting to be
 * written (fewer than {@value #REMOVAL_BATCH}); after a failed write the store refuses further
 * writes.
 */
public final class FileDurabilityLogStore implements DurabilityLogStore {
  /** The file's name in the data directory. */
  public static final String FILE_NAME = "durability.log";

  static final String TEMP_NAME = FILE_NAME + ".tmp";

  /**
   * Dead records the file may hold before it is compacted. A compaction creates, writes and forces
   * a new file, renames it and forces the directory, on the node loop: two fsyncs and a stall of
   * that node, which every fast-path update waits for when the supermajority is every replica. A
   * replica taking 27,000 updates a second (64 clients on a 2-core machine) writes about as many
   * records a second, so at 4,096 it compacted six or seven times a second; at 65,536 (about 10 MB
   * of 100-byte updates to replay at a restart) it compacts about every 2.5 s.
   */
  static final int DEFAULT_COMPACT_MIN_RECORDS = 65_536;

  /**
   * Removed ids collected before one REMOVE record is written: at most this many applied updates
   * (about 400 KB of 100-byte puts) can reappear after a crash, to be skipped by the recovery.
   */
  static final int REMOVAL_BATCH = 4096;

  private static final System.Logger LOG = System.getLogger(FileDurabilityLogStore.class.getName());

  private final Path dir;
  private final Path file;
  private final Durability mode;
  private final int compactMinRecords;
  private final DurabilityEntries entries;
  private FileChannel channel;
  private long size;
  private long records;
  private long syncCount;
  private long forceCount;
  // In order of removal; a set, because an id accepted again must first have its removal written.
  private final Set<NilextId> unwrittenRemovals = new LinkedHashSet<>();
  private boolean closed;
  private IOException failure;

  /**
   * Closes the channels of files a compaction replaced (see the class comment); created at the
   * first compaction.
   */
  private ExecutorService closer;

  private FileDurabilityLogStore(
      Path dir,
      Durability mode,
      int compactMinRecords,
      DurabilityEntries entries,
      FileChannel channel,
      long size,
      long records) {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.mode = mode;
    this.compactMinRecords = compactMinRecords;
    this.entries = entries;
    this.channel = channel;
    this.size = size;
    this.records = records;
  }

  /** Opens (creating if needed) and recovers {@code dir/durability.log}. */
  public static FileDurabilityLogStore open(Path dir, Durability mode) throws IOException {
    return open(dir, mode, DEFAULT_COMPACT_MIN_RECORDS);
  }

  /**
   * @param compactMinRecords compaction happens only once the file holds this many records more
   *     than live entries (and more than twice as many)
   */
  static FileDurabilityLogStore open(Path dir, Durability mode, int compactMinRecords)
      throws IOException {
    if (mode == Durability.MEMORY) {
      throw new IllegalArgumentException("a file durability log needs fsync or nosync, not memory");
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(TEMP_NAME));
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      DurabilityEntries entries = new DurabilityEntries();
      long[] sizeAndRecords = recover(file, channel, entries);
      return new FileDurabilityLogStore(
          dir, mode, compactMinRecords, entries, channel, sizeAndRecords[0], sizeAndRecords[1]);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Replays the file into {@code entries}; returns its valid length and record count. */
  private static long[] recover(Path file, FileChannel channel, DurabilityEntries entries)
      throws IOException {
    long length = channel.size();
    if (length > Integer.MAX_VALUE - 8) {
      throw new CorruptLogException(file, 0, "durability log of " + length + " bytes is too large");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length);
    while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
      // read until full or end of file
    }
    buf.flip();
    int pos = 0;
    long count = 0;
    while (pos < buf.limit()) {
      DurabilityRecordCodec.Decoded d = DurabilityRecordCodec.decode(buf, pos);
      if (d.status() == RecordCodec.Status.VALID) {
        replay(d.record(), entries);
        pos += d.size();
        count++;
        continue;
      }
      if (d.checksummed()) {
        throw new CorruptLogException(
            file, pos, d.problem() + " in a record whose CRC matches: written corrupt, not torn");
      }
      int next = DurabilityRecordCodec.findValidRecordAfter(buf, pos);
      if (next >= 0) {
        throw new CorruptLogException(
            file,
            pos,
            d.problem() + ", yet a valid record follows at offset " + next + ": not a torn tail");
      }
      LOG.log(
          Level.WARNING,
          "truncating torn tail of {0} at byte offset {1} ({2}); dropping {3} bytes",
          file,
          pos,
          d.problem(),
          buf.limit() - pos);
      channel.truncate(pos);
      channel.force(false);
      break;
    }
    return new long[] {pos, count};
  }

  private static void replay(DurabilityRecordCodec.StoredRecord r, DurabilityEntries entries) {
    if (r instanceof DurabilityRecordCodec.EntryRecord e) {
      entries.put(e.entry());
    } else if (r instanceof DurabilityRecordCodec.RemoveRecord rm) {
      entries.removeAll(rm.ids());
    } else if (r instanceof DurabilityRecordCodec.FenceRecord f) {
      entries.raiseFence(f.term());
    }
  }

  @Override
  public StoredDurabilityLog load() {
    return entries.snapshot();
  }

  @Override
  public void append(List<NilextEntry> batch) throws IOException {
    checkWritable();
    if (batch.isEmpty()) {
      return;
    }
    for (NilextEntry e : batch) {
      if (unwrittenRemovals.contains(e.id())) {
        // Accepted again after its removal: the REMOVE must precede the new ENTRY in the file.
        writeRemovals();
        break;
      }
    }
    write(DurabilityRecordCodec.encodeEntries(batch), batch.size(), true);
    for (NilextEntry e : batch) {
      entries.put(e);
    }
    if (sync()) {
      syncCount++;
    }
  }

  @Override
  public void remove(Collection<NilextId> ids) throws IOException {
    checkWritable();
    List<NilextId> held = new ArrayList<>(ids.size());
    for (NilextId id : ids) {
      // An id listed twice is harmless: the removal set keeps it once.
      if (entries.contains(id)) {
        held.add(id);
      }
    }
    if (held.isEmpty()) {
      return;
    }
    entries.removeAll(held);
    unwrittenRemovals.addAll(held);
    if (records - entries.size() >= compactMinRecords && records > 2L * entries.size()) {
      compact();
    } else if (unwrittenRemovals.size() >= REMOVAL_BATCH) {
      writeRemovals();
    }
  }

  /** Writes the waiting removals as one REMOVE record, not forced. */
  private void writeRemovals() throws IOException {
    if (unwrittenRemovals.isEmpty()) {
      return;
    }
    write(DurabilityRecordCodec.encodeRemove(unwrittenRemovals), 1, false);
    unwrittenRemovals.clear();
  }

  @Override
  public void fence(long term) throws IOException {
    checkWritable();
    if (term <= entries.fence()) {
      return;
    }
    write(DurabilityRecordCodec.encodeFence(term), 1, true);
    entries.raiseFence(term);
    if (sync()) {
      syncCount++;
    }
  }

  /** One positional write at the end of the file, forced if {@code force} and in FSYNC mode. */
  private void write(ByteBuffer encoded, int recordCount, boolean force) throws IOException {
    try {
      long start = size;
      while (encoded.hasRemaining()) {
        channel.write(encoded, start + encoded.position());
      }
      if (force && sync()) {
        channel.force(false);
        forceCount++;
      }
      size = start + encoded.limit();
      records += recordCount;
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
      throw e;
    }
  }

  /** Rewrites the file with only the live entries and the fence (temporary file, then rename). */
  private void compact() throws IOException {
    Path temp = dir.resolve(TEMP_NAME);
    ByteBuffer live = DurabilityRecordCodec.encodeEntries(entries.values());
    ByteBuffer fence =
        entries.fence() > 0
            ? DurabilityRecordCodec.encodeFence(entries.fence())
            : ByteBuffer.allocate(0);
    try {
      try (FileChannel out =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        long written = 0;
        for (ByteBuffer b : List.of(fence, live)) {
          while (b.hasRemaining()) {
            written += out.write(b, written);
          }
        }
        if (sync()) {
          out.force(false);
          forceCount++;
        }
      }
      // The old file stays open across the rename and the directory's fsync, so neither frees its
      // blocks; its last close does, on the closer thread, once the new file is in place.
      FileChannel old = channel;
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      if (sync()) {
        HardStateFile.forceDirectory(dir);
        forceCount++;
      }
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      closeLater(old);
      size = channel.size();
      records = (long) entries.size() + (entries.fence() > 0 ? 1 : 0);
      unwrittenRemovals.clear();
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
      throw e;
    }
  }

  /** Closes a replaced file's channel on the closer thread (it frees the file's blocks). */
  private void closeLater(FileChannel old) {
    if (closer == null) {
      closer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "raftkv-durability-closer");
                t.setDaemon(true);
                return t;
              });
    }
    closer.execute(
        () -> {
          try {
            old.close();
          } catch (IOException e) {
            // The file is already unlinked and replaced; nothing depends on this close.
            LOG.log(Level.WARNING, "closing a compacted-away durability log failed", e);
          }
        });
  }

  private boolean sync() {
    return mode == Durability.FSYNC;
  }

  @Override
  public boolean forces() {
    return sync();
  }

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("durability log " + file + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException(
          "durability log " + file + " failed earlier and must be reopened", failure);
    }
  }

  /** Append batches and raised fences that ended with an fsync (FSYNC mode only). */
  @Override
  public long syncCount() {
    return syncCount;
  }

  /** Every fsync: appends, fences and compactions (temporary file and directory). */
  @Override
  public long forceCount() {
    return forceCount;
  }

  /** Waits (a few seconds at most) until the channels of replaced files are closed. */
  private void awaitCloser() {
    if (closer == null) {
      return;
    }
    closer.shutdown();
    try {
      if (!closer.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "replaced durability-log files of {0} still closing", dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records in the file now, live or not; for tests of compaction. */
  long recordCount() {
    return records;
  }

  /** Removals not yet written to the file; for tests. */
  int unwrittenRemovalCount() {
    return unwrittenRemovals.size();
  }

  /** The file. */
  public Path path() {
    return file;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (failure == null) {
        writeRemovals();
      }
    } finally {
      channel.close();
      awaitCloser();
    }
  }
}
