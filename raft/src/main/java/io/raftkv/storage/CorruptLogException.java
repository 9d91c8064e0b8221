package io.raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Stored data is corrupt somewhere other than a torn tail, so it cannot be repaired by dropping
 * unacknowledged writes. The node must not start: its log may have lost acknowledged entries.
 */
public final class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  public CorruptLogException(Path file, long offset, String problem) {
    super(
        "corrupt data in "
            + file
            + " at byte offset "
            + offset
            + ": "
            + problem
            + "; refusing to start (restore the data directory from a backup, or wipe it so the"
            + " node catches up from the cluster)");
    this.file = file;
    this.offset = offset;
  }

  /** The corrupt file. */
  public Path file() {
    return file;
  }

  /** Byte offset in {@link #file()} where the corruption starts. */
  public long offset() {
    return offset;
  }
}
