package io.raftkv.storage;

import io.raftkv.core.Entry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One append-only segment of the log: the file {@code log-<first index, 20 digits>.seg}, holding
 * records (see {@link RecordCodec}) for contiguous indices starting at its first index.
 *
 * <p>Invariants: {@link #size()} is the file's length and the end of its last valid record; the
 * byte offset of every record is kept (in a {@code long} array, not as objects, since a segment
 * holds up to millions of records), so the log can be truncated at any index without reading the
 * file again. The entries themselves are not kept in memory: {@link #readEntries} reads them back.
 */
final class SegmentFile implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SegmentFile.class.getName());
  private static final Pattern NAME = Pattern.compile("log-(\\d{20})\\.seg");

  private final Path path;
  private final long firstIndex;
  private final FileChannel channel;
  private long[] offsets;
  private int count;
  private long size;

  private SegmentFile(
      Path path, long firstIndex, FileChannel channel, long size, long[] offsets, int count) {
    this.path = path;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.size = size;
    this.offsets = offsets;
    this.count = count;
  }

  static String fileName(long firstIndex) {
    return String.format(Locale.ROOT, "log-%020d.seg", firstIndex);
  }

  /** The first index named by a segment file name, or -1 if the name is not a segment's. */
  static long firstIndexOf(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Creates a new, empty segment; fails if the file exists. */
  static SegmentFile create(Path dir, long firstIndex) throws IOException {
    Path path = dir.resolve(fileName(firstIndex));
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new SegmentFile(path, firstIndex, channel, 0, new long[64], 0);
  }

  /**
   * Opens an existing segment and checks every record.
   *
   * <p>If {@code last}, an invalid record with nothing valid after it is a torn tail: the file is
   * truncated there (and forced) and a warning names the file and offset. Any other invalid record,
   * or an index other than the next expected one, throws {@link CorruptLogException}.
   */
  static SegmentFile recover(Path path, long firstIndex, boolean last) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer buf = readAll(path, channel, channel.size());
      long[] offsets = new long[64];
      int count = 0;
      int pos = 0;
      long expect = firstIndex;
      while (pos < buf.limit()) {
        RecordCodec.Decoded d = RecordCodec.decode(buf, pos);
        if (d.status() == RecordCodec.Status.VALID) {
          if (d.entry().index() != expect) {
            throw new CorruptLogException(
                path,
                pos,
                "expected index " + expect + " but found " + d.entry().index() + " (gap or order)");
          }
          if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
          }
          offsets[count++] = pos;
          pos += d.size();
          expect++;
          continue;
        }
        if (!last) {
          throw new CorruptLogException(
              path, pos, d.problem() + ", in a segment that is not the last one");
        }
        int next = RecordCodec.findValidRecordAfter(buf, pos, expect);
        if (next >= 0) {
          throw new CorruptLogException(
              path,
              pos,
              d.problem() + ", yet a valid record follows at offset " + next + ": not a torn tail");
        }
        LOG.log(
            Level.WARNING,
            "truncating torn tail of {0} at byte offset {1} ({2}); dropping {3} bytes",
            path,
            pos,
            d.problem(),
            buf.limit() - pos);
        channel.truncate(pos);
        channel.force(false);
        break;
      }
      return new SegmentFile(path, firstIndex, channel, pos, offsets, count);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static ByteBuffer readAll(Path path, FileChannel channel, long length)
      throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      throw new CorruptLogException(path, 0, "segment of " + length + " bytes is too large");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, buf.position()) < 0) {
        break;
      }
    }
    return buf.flip();
  }

  Path path() {
    return path;
  }

  long firstIndex() {
    return firstIndex;
  }

  /** Index of the last record; {@code firstIndex() - 1} if the segment is empty. */
  long lastIndex() {
    return firstIndex + count - 1;
  }

  /**
   * Reads every record of this segment back from the file and adds its entry to {@code out}.
   *
   * @throws CorruptLogException if a record that was valid when written or recovered no longer is
   */
  void readEntries(List<Entry> out) throws IOException {
    ByteBuffer buf = readAll(path, channel, size);
    for (int i = 0; i < count; i++) {
      RecordCodec.Decoded d = RecordCodec.decode(buf, (int) offsets[i]);
      if (d.status() != RecordCodec.Status.VALID || d.entry().index() != firstIndex + i) {
        throw new CorruptLogException(
            path, offsets[i], "record of index " + (firstIndex + i) + " reads back invalid");
      }
      out.add(d.entry());
    }
  }

  long size() {
    return size;
  }

  /**
   * Appends the encoded {@code batch} at the end of the file with one positional write (looping
   * only if the OS writes less than asked).
   */
  void append(ByteBuffer encoded, List<Entry> batch) throws IOException {
    if (batch.get(0).index() != lastIndex() + 1) {
      throw new IllegalStateException(
          path + " ends at index " + lastIndex() + ", cannot append " + batch.get(0).index());
    }
    long start = size;
    while (encoded.hasRemaining()) {
      channel.write(encoded, start + encoded.position());
    }
    long offset = start;
    for (Entry e : batch) {
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      offsets[count++] = offset;
      offset += RecordCodec.encodedSize(e);
    }
    size = offset;
  }

  /** Cuts the file at the record of {@code index} (which this segment holds) and later ones. */
  void truncateFrom(long index) throws IOException {
    if (index <= firstIndex || index > lastIndex()) {
      throw new IllegalArgumentException(path + " cannot be truncated at index " + index);
    }
    int keep = (int) (index - firstIndex);
    long offset = offsets[keep];
    channel.truncate(offset);
    count = keep;
    size = offset;
  }

  /** Forces written data to the device; file metadata only as needed to read it back. */
  void force() throws IOException {
    channel.force(false);
  }

  void closeAndDelete() throws IOException {
    channel.close();
    Files.delete(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
