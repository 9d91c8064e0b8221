package io.raftkv.storage;

import io.raftkv.core.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file {@code hardstate} holding term and votedFor, replaced atomically: write {@code
 * hardstate.tmp}, fsync it, rename it over {@code hardstate} (ATOMIC_MOVE), fsync the directory. A
 * crash leaves either the old or the new file whole; a leftover temporary file is ignored.
 *
 * <pre>
 * offset  size  field (big-endian)
 *      0     4  magic 0x52414654 ("RAFT")
 *      4     4  format version, 1
 *      8     8  term
 *     16     4  votedFor
 *     20     4  CRC32C of bytes 0..19
 * </pre>
 */
final class HardStateFile {
  static final String NAME = "hardstate";
  static final String TEMP_NAME = "hardstate.tmp";
  private static final int MAGIC = 0x52414654;
  private static final int VERSION = 1;
  private static final int SIZE = 24;

  private final Path dir;
  private final Path file;
  private final Path temp;
  private final boolean sync;

  HardStateFile(Path dir, boolean sync) {
    this.dir = dir;
    this.file = dir.resolve(NAME);
    this.temp = dir.resolve(TEMP_NAME);
    this.sync = sync;
  }

  /**
   * Reads the stored hard state, {@link HardState#INITIAL} if there is none, and deletes a
   * temporary file left by a crash before its rename (its content was never acknowledged).
   *
   * @throws CorruptLogException if the file has the wrong size, magic, version or CRC
   */
  HardState read() throws IOException {
    Files.deleteIfExists(temp);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return HardState.INITIAL;
    }
    if (bytes.length != SIZE) {
      throw new CorruptLogException(
          file, Math.min(bytes.length, SIZE), "hard state file has " + bytes.length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    if (crc(bytes) != buf.getInt(SIZE - 4)) {
      throw new CorruptLogException(file, 0, "hard state CRC mismatch");
    }
    if (buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION) {
      throw new CorruptLogException(file, 0, "not a raftkv hard state file of version " + VERSION);
    }
    long term = buf.getLong(8);
    int votedFor = buf.getInt(16);
    if (term < 0) {
      throw new CorruptLogException(file, 8, "negative term " + term);
    }
    return new HardState(term, votedFor);
  }

  /**
   * Replaces the stored hard state. With {@code sync}, returns once the new state survives a power
   * cut: two forces, the temporary file's data and the directory holding the rename.
   */
  void write(HardState hs) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(SIZE);
    buf.putInt(MAGIC).putInt(VERSION).putLong(hs.term()).putInt(hs.votedFor());
    buf.putInt(crc(buf.array()));
    buf.flip();
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      if (sync) {
        ch.force(true);
      }
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (sync) {
      forceDirectory(dir);
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, SIZE - 4);
    return (int) crc.getValue();
  }

  /**
   * Forces a directory, making creations, renames and deletions in it durable. Some platforms
   * (Windows) refuse to open or force a directory; there the rename is as durable as they allow.
   */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
      // The platform cannot fsync a directory; nothing more can be done.
    }
  }
}
