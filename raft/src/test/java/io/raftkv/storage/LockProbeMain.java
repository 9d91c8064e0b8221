package io.raftkv.storage;

import java.nio.file.Path;

/**
 * Run in a second JVM by {@link DirectoryLockTest}: tries to open the data directory given as the
 * argument. Exit codes: 0 opened (and closed), {@value #LOCKED} locked by another process, 1 any
 * other failure.
 */
public final class LockProbeMain {
  static final int LOCKED = 42;

  private LockProbeMain() {}

  public static void main(String[] args) {
    try (LogStore store = LogStore.open(Path.of(args[0]), Durability.FSYNC)) {
      System.out.println("opened, last index " + store.lastIndex());
    } catch (DataDirectoryLockedException e) {
      System.out.println(e.getMessage());
      System.exit(LOCKED);
    } catch (Exception e) {
      e.printStackTrace(System.out);
      System.exit(1);
    }
  }
}
