package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.raftkv.core.HardState;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class MemoryLogStoreTest extends LogStoreTest {
  @Override
  protected LogStore newStore() throws IOException {
    return LogStore.open(null, Durability.MEMORY);
  }

  @Override
  protected LogStore restart(LogStore store) {
    return store;
  }

  @Test
  void openWithMemoryModeNeedsNoDirectory() throws IOException {
    assertInstanceOf(MemoryLogStore.class, open());
  }

  @Test
  void neverSyncs() throws IOException {
    LogStore store = open();
    store.persist(new HardState(1, 1), entries(1, 1, 3));
    assertEquals(0, store.syncCount());
  }
}
