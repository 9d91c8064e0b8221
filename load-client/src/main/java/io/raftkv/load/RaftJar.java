package io.raftkv.load;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Finds {@code raft/target/raft.jar}, the server the local clusters run: beside this load client's
 * own jar or classes ({@code load-client/target/...} in a checkout), else under the working
 * directory.
 */
final class RaftJar {
  private static final Path RELATIVE = Path.of("raft", "target", "raft.jar");

  private RaftJar() {}

  /** The jar if found, else the path under the working directory that was expected. */
  static Path locate() {
    CodeSource source = RaftJar.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return RELATIVE.toAbsolutePath();
    }
    try {
      Path here = Path.of(source.getLocation().toURI());
      // load-client/target/load-client.jar or load-client/target/classes: the checkout is 3 up.
      Path dir = here.toAbsolutePath().getParent();
      for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
        Path candidate = dir.resolve(RELATIVE);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Not a file location: fall back to the working directory.
    }
    return RELATIVE.toAbsolutePath();
  }
}
