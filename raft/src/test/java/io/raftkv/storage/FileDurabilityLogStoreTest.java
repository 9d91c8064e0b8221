package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.fastpath.Acceptance;
import io.raftkv.fastpath.DurabilityLog;
import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared suite on a file in FSYNC mode, plus what only files have: syncs and recovery. */
class FileDurabilityLogStoreTest extends DurabilityLogStoreTest {
  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("data");
  }

  private static Path file(Path dir) {
    return dir.resolve(FileDurabilityLogStore.FILE_NAME);
  }

  @Override
  protected DurabilityLogStore newStore() throws IOException {
    return FileDurabilityLogStore.open(dir(), Durability.FSYNC);
  }

  @Override
  protected DurabilityLogStore restart(DurabilityLogStore store) throws IOException {
    store.close();
    return FileDurabilityLogStore.open(dir(), Durability.FSYNC);
  }

  private FileDurabilityLogStore openFile(Path dir) throws IOException {
    return (FileDurabilityLogStore) track(FileDurabilityLogStore.open(dir, Durability.FSYNC));
  }

  // ------------------------------------------------------------------ syncs

  @Test
  void oneWriteAndOneFsyncPerBatch() throws IOException {
    FileDurabilityLogStore store = openFile(dir());
    store.append(puts(1, 1, 100));
    assertEquals(1, store.syncCount());
    assertEquals(1, store.forceCount());
    store.append(List.of(put(1, 2, 1, "x")));
    store.append(puts(1, 3, 7));
    assertEquals(3, store.syncCount());
    store.append(List.of());
    assertEquals(3, store.syncCount());
    store.remove(Set.of(new NilextId(1, 5), new NilextId(3, 1)));
    assertEquals(3, store.forceCount(), "removals are not forced");
    store.fence(2);
    store.fence(2);
    assertEquals(4, store.syncCount());
    assertEquals(4, store.forceCount());
    assertEquals(106, store.load().entries().size());
  }

  @Test
  void nosyncModeNeverForcesButSurvivesAReopen() throws IOException {
    FileDurabilityLogStore store =
        (FileDurabilityLogStore) track(FileDurabilityLogStore.open(dir(), Durability.NOSYNC));
    store.append(puts(1, 1, 10));
    store.fence(3);
    assertEquals(0, store.syncCount());
    assertEquals(0, store.forceCount());
    store.close();
    DurabilityLogStore again = track(DurabilityLogStore.open(dir(), Durability.NOSYNC));
    assertEquals(new StoredDurabilityLog(puts(1, 1, 10), 3), again.load());
  }

  @Test
  void memoryModeIsRejectedAndTheFactoryOpensFiles() throws IOException {
    assertThrows(
        IllegalArgumentException.class,
        () -> FileDurabilityLogStore.open(dir(), Durability.MEMORY));
    DurabilityLogStore store = track(DurabilityLogStore.open(dir(), Durability.FSYNC));
    assertTrue(store instanceof FileDurabilityLogStore);
    assertTrue(Files.exists(file(dir())));
  }

  // ------------------------------------------------------------------ torn tail

  /** Four entries, one append each; returns the offset where the last record starts. */
  private static long writeFour(Path dir, List<NilextEntry> entries) throws IOException {
    try (FileDurabilityLogStore store = FileDurabilityLogStore.open(dir, Durability.FSYNC)) {
      for (NilextEntry e : entries) {
        store.append(List.of(e));
      }
    }
    long offset = 0;
    for (NilextEntry e : entries.subList(0, entries.size() - 1)) {
      offset += DurabilityRecordCodec.entrySize(e);
    }
    return offset;
  }

  @Test
  void aTornTailIsCutAtEveryOffsetInsideTheLastRecord() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    long lastStart = writeFour(dir(), entries);
    byte[] original = Files.readAllBytes(file(dir()));
    assertEquals(lastStart + DurabilityRecordCodec.entrySize(entries.get(3)), original.length);
    for (int cut = (int) lastStart; cut < original.length; cut++) {
      Path d = tmp.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(file(d), Arrays.copyOf(original, cut));
      try (DurabilityLogStore store = FileDurabilityLogStore.open(d, Durability.FSYNC)) {
        assertEquals(entries.subList(0, 3), store.load().entries(), "cut at " + cut);
        assertEquals(lastStart, Files.size(file(d)), "file cut back at " + cut);
        store.append(List.of(put(1, 8, 1, "after")));
      }
      try (DurabilityLogStore store = FileDurabilityLogStore.open(d, Durability.FSYNC)) {
        List<NilextEntry> expected = new ArrayList<>(entries.subList(0, 3));
        expected.add(put(1, 8, 1, "after"));
        assertEquals(expected, store.load().entries(), "append after cut at " + cut);
      }
    }
  }

  @Test
  void everyFlippedByteOfTheLastRecordIsATornTail() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    long lastStart = writeFour(dir(), entries);
    byte[] original = Files.readAllBytes(file(dir()));
    for (int at = (int) lastStart; at < original.length; at++) {
      Path d = tmp.resolve("flip" + at);
      Files.createDirectories(d);
      byte[] bytes = original.clone();
      bytes[at] ^= (byte) 0x5a;
      Files.write(file(d), bytes);
      try (DurabilityLogStore store = FileDurabilityLogStore.open(d, Durability.FSYNC)) {
        assertEquals(entries.subList(0, 3), store.load().entries(), "flip at " + at);
      }
    }
  }

  @Test
  void aZeroFilledTailIsATornTail() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    writeFour(dir(), entries);
    Files.write(file(dir()), new byte[64], StandardOpenOption.APPEND);
    try (DurabilityLogStore store = FileDurabilityLogStore.open(dir(), Durability.FSYNC)) {
      assertEquals(entries, store.load().entries());
    }
  }

  // ------------------------------------------------------------------ corruption

  @Test
  void everyFlippedByteOfTheFirstRecordIsReportedWithFileAndOffset() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    writeFour(dir(), entries);
    byte[] original = Files.readAllBytes(file(dir()));
    int firstSize = DurabilityRecordCodec.entrySize(entries.get(0));
    for (int at = 0; at < firstSize; at++) {
      Path d = tmp.resolve("mid" + at);
      Files.createDirectories(d);
      byte[] bytes = original.clone();
      bytes[at] ^= (byte) 0x01;
      Files.write(file(d), bytes);
      CorruptLogException e =
          assertThrows(
              CorruptLogException.class,
              () -> FileDurabilityLogStore.open(d, Durability.FSYNC),
              "flip at " + at);
      assertEquals(file(d), e.file());
      assertEquals(0, e.offset());
      assertTrue(e.getMessage().contains("byte offset 0"), e.getMessage());
      assertEquals(original.length, Files.size(file(d)), "nothing truncated");
    }
  }

  @Test
  void corruptionBetweenValidRecordsNamesItsOffset() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    long lastStart = writeFour(dir(), entries);
    byte[] bytes = Files.readAllBytes(file(dir()));
    long third = lastStart - DurabilityRecordCodec.entrySize(entries.get(2));
    bytes[(int) third + 12] ^= (byte) 0x40; // inside the third record's term
    Files.write(file(dir()), bytes);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> FileDurabilityLogStore.open(dir(), Durability.FSYNC));
    assertEquals(third, e.offset());
    assertTrue(e.getMessage().contains("not a torn tail"), e.getMessage());
  }

  @Test
  void aWellChecksummedButUndecodableLastRecordIsCorruptNotTorn() throws IOException {
    List<NilextEntry> entries = puts(1, 1, 4);
    long lastStart = writeFour(dir(), entries);
    // Rewrite the last record as an ENTRY of a get (not nilext) with a matching CRC.
    byte[] get = KvCodec.encode(new KvRequest(1, 9, new KvCommand.Get(Bytes.utf8("k"))));
    ByteBuffer body = ByteBuffer.allocate(1 + 8 + get.length);
    body.put((byte) 1).putLong(1).put(get);
    ByteBuffer record = ByteBuffer.allocate(8 + body.capacity());
    record
        .putInt(body.capacity())
        .putInt(RecordCodec.crc(body, 0, body.capacity()))
        .put(body.array());
    byte[] bytes = Arrays.copyOf(Files.readAllBytes(file(dir())), (int) lastStart);
    byte[] all = Arrays.copyOf(bytes, bytes.length + record.capacity());
    System.arraycopy(record.array(), 0, all, bytes.length, record.capacity());
    Files.write(file(dir()), all);
    CorruptLogException e =
        assertThrows(
            CorruptLogException.class, () -> FileDurabilityLogStore.open(dir(), Durability.FSYNC));
    assertEquals(lastStart, e.offset());
    assertTrue(e.getMessage().contains("not torn"), e.getMessage());
    assertEquals(all.length, Files.size(file(dir())), "nothing truncated");
  }

  /** The contract the node loop follows: persist what the durabilityLog says, restore on start. */
  @Test
  void aDurabilityLogRestoredFromItsStoreRefusesAndAcknowledgesAsBefore() throws IOException {
    DurabilityLog log = new DurabilityLog();
    FileDurabilityLogStore store = openFile(dir());
    for (NilextEntry e : List.of(put(3, 1, 1, "a"), put(3, 2, 1, "b"), put(3, 1, 1, "a"))) {
      if (log.accept(e, 3, false).mustPersist()) {
        store.append(List.of(log.get(e.id())));
      }
    }
    store.remove(
        log.removeApplied(Set.of(new NilextId(2, 1))).stream().map(NilextEntry::id).toList());
    if (log.fence(4)) {
      store.fence(4);
    }
    store.close();
    StoredDurabilityLog loaded = openFile(dir()).load();
    DurabilityLog again = DurabilityLog.restore(loaded.entries(), loaded.fence());
    assertEquals(log.snapshot(), again.snapshot());
    assertEquals(List.of(put(3, 1, 1, "a")), again.snapshot());
    assertEquals(Acceptance.REFUSED_FENCED, again.accept(put(3, 5, 1, "c"), 3, false));
    assertEquals(Acceptance.RETAGGED, again.accept(put(4, 1, 1, "a"), 4, false));
  }

  /**
   * Removals are collected and written in bulk: a crash (the file copied while the store is open)
   * brings back removed entries, which the contract allows; a close or a full batch writes them.
   */
  @Test
  void removalsAreWrittenInBulkAndACrashBeforeThatBringsTheEntriesBack() throws IOException {
    int n = FileDurabilityLogStore.REMOVAL_BATCH + 10;
    FileDurabilityLogStore store =
        (FileDurabilityLogStore)
            track(FileDurabilityLogStore.open(dir(), Durability.FSYNC, Integer.MAX_VALUE));
    List<NilextEntry> entries = puts(1, 1, n);
    store.append(entries);
    long sizeAfterAppend = Files.size(file(dir()));
    store.remove(Set.of(new NilextId(1, 1), new NilextId(1, 2)));
    assertEquals(2, store.unwrittenRemovalCount());
    assertEquals(sizeAfterAppend, Files.size(file(dir())), "nothing written yet");
    assertEquals(entries.subList(2, n), store.load().entries());

    Path crashed = tmp.resolve("crashed");
    Files.createDirectories(crashed);
    Files.copy(file(dir()), file(crashed));
    try (DurabilityLogStore afterCrash = FileDurabilityLogStore.open(crashed, Durability.FSYNC)) {
      assertEquals(entries, afterCrash.load().entries(), "the removed entries are back");
    }

    for (int s = 3; s <= FileDurabilityLogStore.REMOVAL_BATCH; s++) {
      store.remove(List.of(new NilextId(1, s)));
    }
    assertEquals(0, store.unwrittenRemovalCount(), "a full batch is written");
    assertEquals(n + 1, store.recordCount(), "as one REMOVE record");
    store.remove(List.of(new NilextId(1, n)));
    assertEquals(1, store.unwrittenRemovalCount());
    assertEquals(1, store.forceCount(), "removals are never forced");
    store.close();

    List<NilextEntry> live = entries.subList(FileDurabilityLogStore.REMOVAL_BATCH, n - 1);
    assertEquals(live, openFile(dir()).load().entries(), "close wrote the last removal");
  }

  /** An id removed and accepted again: its REMOVE goes to the file before its new ENTRY. */
  @Test
  void anEntryAcceptedAgainAfterItsRemovalIsAtItsNewPlaceAfterACrash() throws IOException {
    FileDurabilityLogStore store = openFile(dir());
    List<NilextEntry> entries = puts(1, 1, 3);
    store.append(entries);
    store.remove(List.of(new NilextId(1, 1)));
    NilextEntry again = put(2, 1, 1, "key1");
    store.append(List.of(again));
    assertEquals(0, store.unwrittenRemovalCount());

    Path crashed = tmp.resolve("crashed");
    Files.createDirectories(crashed);
    Files.copy(file(dir()), file(crashed));
    try (DurabilityLogStore afterCrash = FileDurabilityLogStore.open(crashed, Durability.FSYNC)) {
      assertEquals(List.of(entries.get(1), entries.get(2), again), afterCrash.load().entries());
    }
  }

  // ------------------------------------------------------------------ restart and compaction

  @Test
  void aTemporaryFileLeftByACrashedCompactionIsIgnored() throws IOException {
    try (DurabilityLogStore store = FileDurabilityLogStore.open(dir(), Durability.FSYNC)) {
      store.append(puts(4, 1, 3));
    }
    Path temp = dir().resolve(FileDurabilityLogStore.TEMP_NAME);
    Files.write(temp, new byte[] {1, 2, 3});
    FileDurabilityLogStore store = openFile(dir());
    assertEquals(puts(4, 1, 3), store.load().entries());
    assertFalse(Files.exists(temp));
  }

  @Test
  void removingMostEntriesCompactsTheFileAndKeepsTheRestAndTheFence() throws IOException {
    FileDurabilityLogStore store =
        (FileDurabilityLogStore) track(FileDurabilityLogStore.open(dir(), Durability.FSYNC, 10));
    List<NilextEntry> entries = puts(2, 1, 40);
    for (NilextEntry e : entries) {
      store.append(List.of(e));
    }
    store.fence(2);
    long fullSize = Files.size(file(dir()));
    for (int s = 1; s <= 36; s++) {
      store.remove(Set.of(new NilextId(1, s)));
    }
    List<NilextEntry> live = entries.subList(36, 40);
    assertEquals(live, store.load().entries());
    assertTrue(store.recordCount() < 20, "compacted: " + store.recordCount() + " records");
    assertTrue(Files.size(file(dir())) < fullSize / 3, "file shrank");
    store.append(List.of(put(2, 5, 1, "new")));
    store.close();

    FileDurabilityLogStore again = openFile(dir());
    List<NilextEntry> expected = new ArrayList<>(live);
    expected.add(put(2, 5, 1, "new"));
    assertEquals(new StoredDurabilityLog(expected, 2), again.load());
  }
}
