package io.raftkv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A data directory of a benchmark fixture, under {@code java.io.tmpdir} (pass {@code -jvmArgsAppend
 * -Djava.io.tmpdir=DIR} to measure another file system), deleted with everything in it at teardown.
 */
final class TempDirectory implements AutoCloseable {
  private final Path path;

  private TempDirectory(Path path) {
    this.path = path;
  }

  /** Creates a fresh, empty directory whose name starts with {@code prefix}. */
  static TempDirectory create(String prefix) throws IOException {
    return new TempDirectory(Files.createTempDirectory(prefix));
  }

  Path path() {
    return path;
  }

  /** Deletes the directory and everything below it, deepest first. */
  @Override
  public void close() throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(path)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
