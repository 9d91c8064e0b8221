package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
  @TempDir Path dir;

  @Test
  void secondOpenInThisJvmFailsUntilTheFirstCloses() throws IOException {
    LogStore first = LogStore.open(dir, Durability.FSYNC);
    try {
      first.persist(null, List.of(Entry.noop(1, 1)));
      DataDirectoryLockedException e =
          assertThrows(
              DataDirectoryLockedException.class, () -> LogStore.open(dir, Durability.NOSYNC));
      Path real = dir.toRealPath();
      assertEquals(
          "data directory "
              + real
              + " is in use by another raftkv process (lock file "
              + real.resolve("LOCK")
              + ")",
          e.getMessage());
    } finally {
      first.close();
    }
    try (LogStore again = LogStore.open(dir, Durability.FSYNC)) {
      assertEquals(1, again.lastIndex());
    }
  }

  @Test
  void anotherProcessCannotOpenALockedDirectory() throws Exception {
    try (LogStore store = LogStore.open(dir, Durability.FSYNC)) {
      // A failed attempt in this JVM first: it must not drop the OS lock the store holds.
      assertThrows(DataDirectoryLockedException.class, () -> LogStore.open(dir, Durability.FSYNC));
      Probe locked = probe();
      assertEquals(LockProbeMain.LOCKED, locked.exitCode, locked.output);
      assertTrue(locked.output.contains("is in use by another raftkv process"), locked.output);
      assertEquals(0, store.lastIndex());
    }
    Probe free = probe();
    assertEquals(0, free.exitCode, free.output);
  }

  private static final class Probe {
    final int exitCode;
    final String output;

    Probe(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  private Probe probe() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockProbeMain.class.getName(),
                dir.toString())
            .redirectErrorStream(true);
    Process process = builder.start();
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("lock probe did not finish within 30 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Probe(process.exitValue(), output);
    } finally {
      process.destroyForcibly();
    }
  }
}
