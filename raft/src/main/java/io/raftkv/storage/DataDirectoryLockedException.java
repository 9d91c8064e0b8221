package io.raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Another store (in this process or another) holds the lock of a data directory. */
public final class DataDirectoryLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataDirectoryLockedException(Path dir, Path lockFile) {
    super(
        "data directory "
            + dir
            + " is in use by another raftkv process (lock file "
            + lockFile
            + ")");
  }
}
