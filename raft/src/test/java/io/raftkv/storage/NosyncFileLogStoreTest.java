package io.raftkv.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared suite on files in NOSYNC mode. */
class NosyncFileLogStoreTest extends LogStoreTest {
  @TempDir Path dir;

  @Override
  protected LogStore newStore() throws IOException {
    return LogStore.open(dir, Durability.NOSYNC);
  }

  @Override
  protected LogStore restart(LogStore store) throws IOException {
    store.close();
    return LogStore.open(dir, Durability.NOSYNC);
  }
}
