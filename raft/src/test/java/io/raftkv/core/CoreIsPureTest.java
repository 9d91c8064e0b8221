package io.raftkv.core;

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
 * The core must stay pure (DESIGN.md "The core"): no threads, locks, I/O, sockets, Netty or clocks.
 * This test reads the compiled classes of the package and fails on any reference to such an API, so
 * a violation breaks the build.
 */
class CoreIsPureTest {
  /** Internal names that may not appear in the constant pool of a core class. */
  static final List<String> FORBIDDEN =
      List.of(
          "java/lang/Thread",
          "java/lang/Runnable",
          "java/util/concurrent/",
          "java/io/File",
          "java/io/InputStream",
          "java/io/OutputStream",
          "java/io/Reader",
          "java/io/Writer",
          "java/io/RandomAccessFile",
          "java/nio/",
          "java/net/",
          "io/netty/",
          "java/time/",
          "currentTimeMillis",
          "nanoTime",
          "java/util/Random",
          "ThreadLocalRandom",
          "java/util/Timer");

  static Path coreClasses() {
    return Path.of("target", "classes", "io", "raftkv", "core");
  }

  /** The forbidden names found in one class file's bytes (names are plain ASCII there). */
  static List<String> offences(byte[] classFile) {
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    List<String> found = new ArrayList<>();
    for (String f : FORBIDDEN) {
      if (text.contains(f)) {
        found.add(f);
      }
    }
    return found;
  }

  @Test
  void coreClassesUseNoThreadsIoOrClocks() throws IOException {
    List<String> problems = new ArrayList<>();
    int classes = 0;
    try (Stream<Path> files = Files.list(coreClasses())) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.toString().endsWith(".class")) {
          continue;
        }
        classes++;
        List<String> found = offences(Files.readAllBytes(p));
        if (!found.isEmpty()) {
          problems.add(p.getFileName() + " uses " + found);
        }
      }
    }
    assertTrue(classes >= 8, "expected the core's classes under " + coreClasses());
    assertEquals(List.of(), problems);
  }

  @Test
  void coreSourcesHaveNoLocksOrVolatileFields() throws IOException {
    Path sources = Path.of("src", "main", "java", "io", "raftkv", "core");
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(sources)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String code = Files.readString(p);
        for (String word : List.of("synchronized", "volatile")) {
          if (code.matches("(?s).*\\b" + word + "\\b.*")) {
            problems.add(p.getFileName() + " uses " + word);
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void theScanCatchesAForbiddenReference() {
    byte[] fake =
        "xx java/util/concurrent/locks/ReentrantLock java/lang/System nanoTime xx"
            .getBytes(StandardCharsets.US_ASCII);
    assertEquals(List.of("java/util/concurrent/", "nanoTime"), offences(fake));
  }
}
