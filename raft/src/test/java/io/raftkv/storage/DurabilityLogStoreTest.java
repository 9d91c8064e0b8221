package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link DurabilityLogStore}, run against every implementation. */
abstract class DurabilityLogStoreTest {
  private final List<DurabilityLogStore> open = new ArrayList<>();

  protected abstract DurabilityLogStore newStore() throws IOException;

  /** Closes {@code store} and opens it again; memory stores return the same object. */
  protected abstract DurabilityLogStore restart(DurabilityLogStore store) throws IOException;

  protected final DurabilityLogStore track(DurabilityLogStore store) {
    open.add(store);
    return store;
  }

  @AfterEach
  void closeAll() throws IOException {
    for (DurabilityLogStore s : open) {
      s.close();
    }
  }

  static NilextEntry put(long term, long clientId, long seq, String key) {
    return NilextEntry.of(
        term,
        new KvRequest(
            clientId, seq, new KvCommand.Put(Bytes.utf8(key), Bytes.utf8(key + "=" + seq))));
  }

  static List<NilextEntry> puts(long term, long clientId, int count) {
    List<NilextEntry> list = new ArrayList<>();
    for (int s = 1; s <= count; s++) {
      list.add(put(term, clientId, s, "key" + s));
    }
    return list;
  }

  @Test
  void startsEmpty() throws IOException {
    DurabilityLogStore store = track(newStore());
    assertEquals(new StoredDurabilityLog(List.of(), 0), store.load());
  }

  @Test
  void roundTripOfAppendsRemovalsAndFence() throws IOException {
    DurabilityLogStore store = track(newStore());
    List<NilextEntry> batch = puts(2, 9, 5);
    store.append(batch);
    store.append(List.of(put(2, 4, 1, "other")));
    store.remove(Set.of(new NilextId(9, 2), new NilextId(9, 4), new NilextId(77, 1)));
    store.fence(3);
    store = track(restart(store));
    assertEquals(
        new StoredDurabilityLog(
            List.of(batch.get(0), batch.get(2), batch.get(4), put(2, 4, 1, "other")), 3),
        store.load());
  }

  @Test
  void aSecondAppendOfAnIdentityRetagsItInPlace() throws IOException {
    DurabilityLogStore store = track(newStore());
    store.append(List.of(put(2, 1, 1, "a"), put(2, 2, 1, "b")));
    store.append(List.of(put(3, 1, 1, "a")));
    store = track(restart(store));
    assertEquals(List.of(put(3, 1, 1, "a"), put(2, 2, 1, "b")), store.load().entries());
  }

  @Test
  void anEntryRemovedThenAcceptedAgainIsBack() throws IOException {
    DurabilityLogStore store = track(newStore());
    store.append(List.of(put(2, 1, 1, "a")));
    store.remove(Set.of(new NilextId(1, 1)));
    store.append(List.of(put(2, 1, 1, "a")));
    store = track(restart(store));
    assertEquals(List.of(put(2, 1, 1, "a")), store.load().entries());
  }

  @Test
  void theFenceOnlyRises() throws IOException {
    DurabilityLogStore store = track(newStore());
    store.fence(5);
    store.fence(4);
    store.fence(5);
    assertEquals(5, store.load().fence());
    store = track(restart(store));
    assertEquals(5, store.load().fence());
  }

  @Test
  void aClosedStoreRefusesWrites() throws IOException {
    DurabilityLogStore store = newStore();
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.append(List.of(put(1, 1, 1, "a"))));
    assertThrows(IllegalStateException.class, () -> store.fence(2));
  }
}
