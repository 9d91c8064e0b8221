package io.raftkv.storage;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link LogStore} in a data directory ({@link Durability#FSYNC} or {@link Durability#NOSYNC}).
 *
 * <p>Layout of the directory:
 *
 * <ul>
 *   <li>{@code LOCK}: held with an OS file lock while the store is open ({@link DirectoryLock});
 *   <li>{@code hardstate}: term and votedFor, replaced atomically ({@link HardStateFile});
 *   <li>{@code log-<first index, 20 digits>.seg}: append-only segments of the log, each a sequence
 *       of records {@code [length:4][crc32c:4][term:8][index:8][type:1][data]} with the CRC over
 *       term through data ({@link RecordCodec} has the details). A new segment is started when the
 *       next batch would take the current one past the configured size (64 MiB by default); a batch
 *       never spans two segments.
 * </ul>
 *
 * <p>Writes: {@link #persist} first replaces the hard state if it changed (so the stored log never
 * has a term above the stored term), then, if the batch replaces stored entries, deletes later
 * segments and truncates the segment holding the first replaced entry (forced in FSYNC mode), then
 * gathers the batch into one buffer, writes it with one write and, in FSYNC mode, forces it with
 * one {@code force(false)}. Extra forces happen only on rare events: a hard state change (temporary
 * file and directory), a truncation, and the creation of a segment (directory).
 *
 * <p>Recovery on {@link #open}: every segment is read and checked. An invalid record at the end of
 * the last segment with nothing valid after it is a torn write: it is cut off, with a warning.
 * Anything else (an invalid record followed by valid data, an invalid record in an earlier segment,
 * an index gap or disorder, a corrupt hard state file) throws {@link CorruptLogException} naming
 * the file and byte offset: acknowledged entries may be lost, so the node must not start.
 *
 * <p>The store keeps no copy of the entries in memory, only each record's offset: {@link
 * #entries()} reads them back from the segments (the node does so once, when it starts, and keeps
 * its own copy).
 *
 * <p>Invariants: segments are contiguous and named by their first index, and {@link #lastIndex()}
 * is the last one's last record; after a failed write the store refuses further writes, since the
 * disk may no longer match memory (after a failed fsync, nothing is known).
 */
public final class FileLogStore implements LogStore {
  /** Default size past which a new segment is started. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  private static final long MAX_SEGMENT_BYTES = 1L << 30;

  private final Path dir;
  private final Durability mode;
  private final long segmentBytes;
  private final DirectoryLock lock;
  private final HardStateFile hardStateFile;
  private final List<SegmentFile> segments;
  private HardState hardState;
  private long syncCount;
  private long forceCount;
  private boolean closed;
  private IOException failure;

  private FileLogStore(
      Path dir,
      Durability mode,
      long segmentBytes,
      DirectoryLock lock,
      HardStateFile hardStateFile,
      HardState hardState,
      List<SegmentFile> segments) {
    this.dir = dir;
    this.mode = mode;
    this.segmentBytes = segmentBytes;
    this.lock = lock;
    this.hardStateFile = hardStateFile;
    this.hardState = hardState;
    this.segments = segments;
  }

  /** Opens {@code dir} with segments of {@link #DEFAULT_SEGMENT_BYTES}. */
  public static FileLogStore open(Path dir, Durability mode) throws IOException {
    return open(dir, mode, DEFAULT_SEGMENT_BYTES);
  }

  /**
   * Opens (creating if needed) and recovers the store in {@code dir}.
   *
   * @param mode {@link Durability#FSYNC} or {@link Durability#NOSYNC}
   * @param segmentBytes size past which a new segment is started, 1 byte to 1 GiB
   * @throws DataDirectoryLockedException if another store holds {@code dir}
   * @throws CorruptLogException if stored data is corrupt anywhere but a torn tail
   */
  public static FileLogStore open(Path dir, Durability mode, long segmentBytes) throws IOException {
    if (mode == Durability.MEMORY) {
      throw new IllegalArgumentException("a file log store needs fsync or nosync, not memory");
    }
    if (segmentBytes < 1 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segment size must be 1 byte to " + MAX_SEGMENT_BYTES + ": " + segmentBytes);
    }
    Files.createDirectories(dir);
    DirectoryLock lock = DirectoryLock.acquire(dir);
    List<SegmentFile> segments = new ArrayList<>();
    try {
      HardStateFile hardStateFile = new HardStateFile(dir, mode == Durability.FSYNC);
      HardState hardState = hardStateFile.read();
      recoverSegments(dir, segments);
      return new FileLogStore(dir, mode, segmentBytes, lock, hardStateFile, hardState, segments);
    } catch (IOException | RuntimeException e) {
      for (SegmentFile s : segments) {
        s.close();
      }
      lock.close();
      throw e;
    }
  }

  private static void recoverSegments(Path dir, List<SegmentFile> segments) throws IOException {
    TreeMap<Long, Path> byFirstIndex = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "log-*.seg")) {
      for (Path p : files) {
        long first = SegmentFile.firstIndexOf(p.getFileName().toString());
        if (first >= 1) {
          byFirstIndex.put(first, p);
        }
      }
    }
    Long last = byFirstIndex.isEmpty() ? null : byFirstIndex.lastKey();
    long lastIndex = 0;
    for (Map.Entry<Long, Path> e : byFirstIndex.entrySet()) {
      if (e.getKey() != lastIndex + 1) {
        throw new CorruptLogException(
            e.getValue(),
            0,
            "segment starts at index "
                + e.getKey()
                + " but the log before it ends at "
                + lastIndex
                + " (missing or extra segment)");
      }
      SegmentFile segment = SegmentFile.recover(e.getValue(), e.getKey(), e.getKey().equals(last));
      segments.add(segment);
      lastIndex = segment.lastIndex();
    }
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  /**
   * The stored log, read back from the segment files (checked again record by record).
   *
   * @throws UncheckedIOException if a read fails or a record no longer checks out
   */
  @Override
  public List<Entry> entries() {
    if (closed) {
      throw new IllegalStateException("log store " + dir + " is closed");
    }
    List<Entry> out = new ArrayList<>((int) Math.min(lastIndex(), Integer.MAX_VALUE - 8));
    try {
      for (SegmentFile s : segments) {
        s.readEntries(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the log back from " + dir, e);
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public long lastIndex() {
    return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastIndex();
  }

  /**
   * Persist calls that ended with a durability barrier (FSYNC mode only): one per call that stored
   * a changed hard state or entries, however many forces the call took. See {@link #forceCount()}.
   */
  @Override
  public long syncCount() {
    return syncCount;
  }

  /** Every fsync done by persist calls: file data, temporary hard state file and directory. */
  public long forceCount() {
    return forceCount;
  }

  /** The durability mode this store was opened with. */
  public Durability mode() {
    return mode;
  }

  /** The data directory. */
  public Path directory() {
    return dir;
  }

  @Override
  public void persist(HardState hs, List<Entry> batch) throws IOException {
    if (closed) {
      throw new IllegalStateException("log store " + dir + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException(
          "log store " + dir + " failed earlier and must be reopened", failure);
    }
    long replaceFrom = StoredEntries.checkAppend(lastIndex(), batch);
    boolean writeHardState = hs != null && !hs.equals(hardState);
    if (!writeHardState && batch.isEmpty()) {
      return;
    }
    try {
      if (writeHardState) {
        hardStateFile.write(hs);
        hardState = hs;
        forceCount += sync() ? 2 : 0;
      }
      if (!batch.isEmpty()) {
        if (replaceFrom > 0) {
          truncateFrom(replaceFrom);
        }
        append(batch);
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException ? (IOException) e : new IOException(e);
      throw e;
    }
    if (sync()) {
      syncCount++;
    }
  }

  private boolean sync() {
    return mode == Durability.FSYNC;
  }

  private void append(List<Entry> batch) throws IOException {
    ByteBuffer encoded = RecordCodec.encodeAll(batch);
    SegmentFile active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (active == null
        || (active.size() > 0 && active.size() + encoded.remaining() > segmentBytes)) {
      active = SegmentFile.create(dir, batch.get(0).index());
      segments.add(active);
      if (sync()) {
        HardStateFile.forceDirectory(dir);
        forceCount++;
      }
    }
    active.append(encoded, batch);
    if (sync()) {
      active.force();
      forceCount++;
    }
  }

  /**
   * Removes the entry at {@code index} and every later one from disk and memory: deletes the
   * segments that start at or after it (last first, so a crash leaves a contiguous prefix), then
   * cuts the segment that holds it.
   */
  private void truncateFrom(long index) throws IOException {
    boolean deleted = false;
    while (!segments.isEmpty() && segments.get(segments.size() - 1).firstIndex() >= index) {
      segments.remove(segments.size() - 1).closeAndDelete();
      deleted = true;
    }
    if (!segments.isEmpty()) {
      SegmentFile holder = segments.get(segments.size() - 1);
      if (holder.lastIndex() >= index) {
        holder.truncateFrom(index);
        if (sync()) {
          holder.force();
          forceCount++;
        }
      }
    }
    if (deleted && sync()) {
      HardStateFile.forceDirectory(dir);
      forceCount++;
    }
  }

  /** Segment files in index order; for tests and diagnostics. */
  List<Path> segmentFiles() {
    List<Path> paths = new ArrayList<>();
    for (SegmentFile s : segments) {
      paths.add(s.path());
    }
    return paths;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (SegmentFile s : segments) {
        s.close();
      }
    } finally {
      lock.close();
    }
  }
}
