package io.raftkv.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock of a data directory: an OS file lock on {@code <dir>/LOCK}, held until {@link
 * #close()}, so two nodes (in two processes or one) never write one directory.
 *
 * <p>Directories locked in this JVM are also kept in a set checked <em>before</em> the lock file is
 * opened: on POSIX systems, closing any descriptor of a file drops every lock the process holds on
 * it, so a second, failing attempt in the same JVM must not open and close the lock file.
 */
final class DirectoryLock implements AutoCloseable {
  static final String NAME = "LOCK";
  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir}, which must exist.
   *
   * @throws DataDirectoryLockedException if another store, here or in another process, holds it
   */
  static DirectoryLock acquire(Path dir) throws IOException {
    Path real = dir.toRealPath();
    Path lockFile = real.resolve(NAME);
    if (!HELD_IN_THIS_JVM.add(real)) {
      throw new DataDirectoryLockedException(real, lockFile);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new DataDirectoryLockedException(real, lockFile);
      }
      return new DirectoryLock(real, channel, lock);
    } catch (OverlappingFileLockException e) {
      // Only reachable if something else in this JVM locked the file outside this class.
      close(channel);
      HELD_IN_THIS_JVM.remove(real);
      DataDirectoryLockedException locked = new DataDirectoryLockedException(real, lockFile);
      locked.initCause(e);
      throw locked;
    } catch (IOException | RuntimeException e) {
      close(channel);
      HELD_IN_THIS_JVM.remove(real);
      throw e;
    }
  }

  private static void close(FileChannel channel) throws IOException {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_IN_THIS_JVM.remove(dir);
    }
  }
}
