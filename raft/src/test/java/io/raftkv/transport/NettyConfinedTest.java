package io.raftkv.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code transport.netty}, {@code server} and {@code client} may use Netty (STYLE.md), and the
 * node loop itself must not: it talks to the network through {@link Transport}. Reads the compiled
 * classes, so a violation breaks the build.
 */
class NettyConfinedTest {
  private static final Path CLASSES = Path.of("target", "classes", "io", "raftkv");
  private static final List<String> ALLOWED = List.of("transport/netty/", "server/", "client/");

  private static boolean usesNetty(Path classFile) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
          .contains("io/netty/");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void nettyStaysInItsPackages() throws IOException {
    assertTrue(Files.isDirectory(CLASSES), "run from the module directory after compiling");
    try (Stream<Path> files = Files.walk(CLASSES)) {
      List<String> offenders =
          files
              .filter(p -> p.toString().endsWith(".class"))
              .filter(NettyConfinedTest::usesNetty)
              .map(p -> CLASSES.relativize(p).toString().replace('\\', '/'))
              .filter(name -> ALLOWED.stream().noneMatch(name::startsWith))
              .toList();
      assertEquals(List.of(), offenders);
    }
  }

  @Test
  void nodeLoopAndTransportInterfacesDoNotUseNetty() throws IOException {
    try (Stream<Path> files = Files.walk(CLASSES)) {
      List<String> offenders =
          files
              .filter(p -> p.toString().endsWith(".class"))
              .map(p -> CLASSES.relativize(p).toString().replace('\\', '/'))
              .filter(
                  name ->
                      name.startsWith("server/NodeLoop")
                          || (name.startsWith("transport/")
                              && !name.startsWith("transport/netty/")))
              .filter(name -> usesNetty(CLASSES.resolve(name)))
              .toList();
      assertEquals(List.of(), offenders);
    }
  }
}
