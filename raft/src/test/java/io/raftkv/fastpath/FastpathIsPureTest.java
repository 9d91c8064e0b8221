package io.raftkv.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast-path building blocks must stay pure like the core (DESIGN.md "The core", STYLE.md
 * "fastpath ... pure"): the compiled classes of the package may not name threads, locks, I/O,
 * sockets, Netty, clocks, global randomness, or the storage package. The approach is that of {@code
 * io.raftkv.core.CoreIsPureTest}: scan the class files' constant pools for forbidden names.
 */
class FastpathIsPureTest {
  private static final List<String> FORBIDDEN =
      List.of(
          "java/lang/Thread",
          "java/lang/Runnable",
          "java/util/concurrent/",
          "java/io/File",
          "java/io/InputStream",
          "java/io/OutputStream",
          "java/io/RandomAccessFile",
          "java/nio/",
          "java/net/",
          "io/netty/",
          "java/time/",
          "currentTimeMillis",
          "nanoTime",
          "java/util/Random",
          "ThreadLocalRandom",
          "java/util/Timer",
          "io/raftkv/storage/",
          "io/raftkv/server/");

  private static List<String> offences(byte[] classFile) {
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    return FORBIDDEN.stream().filter(text::contains).toList();
  }

  @Test
  void fastpathClassesUseNoThreadsIoOrClocks() throws IOException {
    Path classes = Path.of("target", "classes", "io", "raftkv", "fastpath");
    List<String> problems = new ArrayList<>();
    int count = 0;
    try (Stream<Path> files = Files.list(classes)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.toString().endsWith(".class") && !p.endsWith("package-info.class")) {
          count++;
          List<String> found = offences(Files.readAllBytes(p));
          if (!found.isEmpty()) {
            problems.add(p.getFileName() + " uses " + found);
          }
        }
      }
    }
    assertTrue(count >= 8, "expected the fast-path classes under " + classes + ", found " + count);
    assertEquals(List.of(), problems);
  }

  @Test
  void theScanCatchesAForbiddenReference() {
    byte[] fake =
        "x java/nio/file/Files io/raftkv/storage/FileLogStore java/lang/System x"
            .getBytes(StandardCharsets.US_ASCII);
    assertEquals(List.of("java/nio/", "io/raftkv/storage/"), offences(fake));
  }
}
