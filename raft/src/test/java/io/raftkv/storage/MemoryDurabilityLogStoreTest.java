package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared suite in memory: a "restart" keeps the object, since memory mode loses all. */
class MemoryDurabilityLogStoreTest extends DurabilityLogStoreTest {
  @Override
  protected DurabilityLogStore newStore() {
    return new MemoryDurabilityLogStore();
  }

  @Override
  protected DurabilityLogStore restart(DurabilityLogStore store) {
    return store;
  }

  @Test
  void neverSyncsAndTheFactoryGivesMemoryForMemoryMode() throws IOException {
    DurabilityLogStore store = track(DurabilityLogStore.open(null, Durability.MEMORY));
    assertTrue(store instanceof MemoryDurabilityLogStore);
    store.append(puts(1, 1, 10));
    store.fence(2);
    assertEquals(0, store.syncCount());
    assertEquals(10, store.load().entries().size());
    assertEquals(List.of(), new MemoryDurabilityLogStore().load().entries());
  }
}
