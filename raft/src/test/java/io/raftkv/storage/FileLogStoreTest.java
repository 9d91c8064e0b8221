package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared suite on files in FSYNC mode, plus what only files have: recovery, segments, syncs.
 */
class FileLogStoreTest extends LogStoreTest {
  @TempDir Path tmp;

  private Path dir() {
    return tmp.resolve("data");
  }

  @Override
  protected LogStore newStore() throws IOException {
    return FileLogStore.open(dir(), Durability.FSYNC);
  }

  @Override
  protected LogStore restart(LogStore store) throws IOException {
    store.close();
    return FileLogStore.open(dir(), Durability.FSYNC);
  }

  private FileLogStore openFile(Path dir, long segmentBytes) throws IOException {
    return (FileLogStore) track(FileLogStore.open(dir, Durability.FSYNC, segmentBytes));
  }

  private static List<Entry> randomEntries(long from, long to, long seed) {
    Random random = new Random(seed);
    List<Entry> list = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      byte[] data = new byte[random.nextInt(12)];
      random.nextBytes(data);
      list.add(Entry.command(1 + i / 3, i, data));
    }
    return list;
  }

  // ------------------------------------------------------------------ segments

  @Test
  void segmentsRollAndTruncationAcrossSegmentsSurvivesReopen() throws IOException {
    FileLogStore store = openFile(dir(), 100);
    List<Entry> log = randomEntries(1, 30, 1);
    for (Entry e : log) {
      store.persist(new HardState(e.term(), 1), List.of(e));
    }
    List<Path> segments = store.segmentFiles();
    assertTrue(segments.size() >= 5, "expected many segments, got " + segments);
    for (Path p : segments) {
      assertTrue(Files.size(p) <= 100, p + " is " + Files.size(p) + " bytes");
    }
    assertEquals(log, store.entries());

    // Replace from index 7 on: every later segment goes, the one holding 7 is cut.
    List<Entry> replacement = new ArrayList<>();
    for (long i = 7; i <= 9; i++) {
      replacement.add(Entry.command(20, i, new byte[] {(byte) i}));
    }
    store.persist(new HardState(20, 2), replacement);
    List<Entry> expected = new ArrayList<>(log.subList(0, 6));
    expected.addAll(replacement);
    assertEquals(expected, store.entries());
    assertTrue(store.segmentFiles().size() < segments.size());
    store.close();

    FileLogStore again = openFile(dir(), 100);
    assertEquals(expected, again.entries());
    assertEquals(new HardState(20, 2), again.hardState());
    Entry next = Entry.command(20, 10, new byte[] {10});
    again.persist(null, List.of(next));
    expected.add(next);
    again.close();
    assertEquals(expected, openFile(dir(), 100).entries());
  }

  @Test
  void truncatingAtTheFirstIndexOfASegmentDeletesIt() throws IOException {
    FileLogStore store = openFile(dir(), 1); // every batch gets its own segment
    store.persist(new HardState(1, 1), entries(1, 1, 2));
    store.persist(null, entries(1, 3, 4));
    store.persist(null, entries(1, 5, 6));
    assertEquals(3, store.segmentFiles().size());
    store.persist(new HardState(2, 1), entries(2, 3, 3));
    assertEquals(
        List.of(dir().resolve(SegmentFile.fileName(1)), dir().resolve(SegmentFile.fileName(3))),
        store.segmentFiles());
    store.close();
    assertEquals(concat(entries(1, 1, 2), entries(2, 3, 3)), openFile(dir(), 1).entries());
  }

  @Test
  void aMissingSegmentIsAnIndexGap() throws IOException {
    FileLogStore store = openFile(dir(), 1);
    store.persist(null, entries(1, 1, 2));
    store.persist(null, entries(1, 3, 4));
    store.persist(null, entries(1, 5, 6));
    store.close();
    Path middle = dir().resolve(SegmentFile.fileName(3));
    Files.delete(middle);
    CorruptLogException e =
        assertThrows(CorruptLogException.class, () -> FileLogStore.open(dir(), Durability.FSYNC));
    assertEquals(dir().resolve(SegmentFile.fileName(5)), e.file());
    assertTrue(e.getMessage().contains("ends at 2"), e.getMessage());
  }

  // ------------------------------------------------------------------ torn tail

  /** Writes n records, one per call, into a single segment; returns the offset of the last one. */
  private long writeRecords(Path dir, List<Entry> log) throws IOException {
    try (FileLogStore store = FileLogStore.open(dir, Durability.FSYNC)) {
      for (Entry e : log) {
        store.persist(null, List.of(e));
      }
    }
    long offset = 0;
    for (Entry e : log.subList(0, log.size() - 1)) {
      offset += RecordCodec.encodedSize(e);
    }
    return offset;
  }

  private static Path segment(Path dir) {
    return dir.resolve(SegmentFile.fileName(1));
  }

  @Test
  void tornTailIsCutAtEveryOffsetInsideTheLastRecord() throws IOException {
    List<Entry> log = randomEntries(1, 4, 2);
    long lastStart = writeRecords(dir(), log);
    byte[] original = Files.readAllBytes(segment(dir()));
    assertEquals(lastStart + RecordCodec.encodedSize(log.get(3)), original.length);
    for (int cut = (int) lastStart; cut < original.length; cut++) {
      Path d = tmp.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(segment(d), java.util.Arrays.copyOf(original, cut));
      try (FileLogStore store = FileLogStore.open(d, Durability.FSYNC)) {
        assertEquals(log.subList(0, 3), store.entries(), "cut at " + cut);
        assertEquals(lastStart, Files.size(segment(d)), "file cut back at " + cut);
        store.persist(null, List.of(entry(9, 4)));
      }
      try (FileLogStore store = FileLogStore.open(d, Durability.FSYNC)) {
        List<Entry> expected = new ArrayList<>(log.subList(0, 3));
        expected.add(entry(9, 4));
        assertEquals(expected, store.entries(), "append after cut at " + cut);
      }
    }
  }

  @Test
  void everyFlippedByteOfTheLastRecordIsATornTail() throws IOException {
    List<Entry> log = randomEntries(1, 4, 3);
    long lastStart = writeRecords(dir(), log);
    byte[] original = Files.readAllBytes(segment(dir()));
    for (int at = (int) lastStart; at < original.length; at++) {
      Path d = tmp.resolve("flip" + at);
      Files.createDirectories(d);
      byte[] bytes = original.clone();
      bytes[at] ^= (byte) 0x5a;
      Files.write(segment(d), bytes);
      try (FileLogStore store = FileLogStore.open(d, Durability.FSYNC)) {
        assertEquals(log.subList(0, 3), store.entries(), "flip at " + at);
      }
    }
  }

  @Test
  void zeroFilledTailIsATornTail() throws IOException {
    List<Entry> log = randomEntries(1, 3, 4);
    writeRecords(dir(), log);
    Files.write(segment(dir()), new byte[64], java.nio.file.StandardOpenOption.APPEND);
    try (FileLogStore store = FileLogStore.open(dir(), Durability.FSYNC)) {
      assertEquals(log, store.entries());
    }
  }

  // ------------------------------------------------------------------ corruption

  @Test
  void everyFlippedByteOfTheFirstOfThreeRecordsIsReportedWithFileAndOffset() throws IOException {
    List<Entry> log = randomEntries(1, 3, 5);
    writeRecords(dir(), log);
    byte[] original = Files.readAllBytes(segment(dir()));
    int firstSize = RecordCodec.encodedSize(log.get(0));
    for (int at = 0; at < firstSize; at++) {
      Path d = tmp.resolve("mid" + at);
      Files.createDirectories(d);
      byte[] bytes = original.clone();
      bytes[at] ^= (byte) 0x01;
      Files.write(segment(d), bytes);
      CorruptLogException e =
          assertThrows(
              CorruptLogException.class,
              () -> FileLogStore.open(d, Durability.FSYNC),
              "flip at " + at);
      assertEquals(segment(d), e.file());
      assertEquals(0, e.offset());
      assertTrue(e.getMessage().contains(segment(d).toString()), e.getMessage());
      assertTrue(e.getMessage().contains("byte offset 0"), e.getMessage());
      assertEquals(original.length, Files.size(segment(d)), "nothing truncated");
    }
    // The lock was released by the failed opens.
    try (FileLogStore store = FileLogStore.open(tmp.resolve("mid0"), Durability.NOSYNC)) {
      throw new AssertionError("opened a corrupt log: " + store.entries());
    } catch (CorruptLogException expected) {
      // still corrupt, and openable again: not locked
    }
  }

  @Test
  void corruptionInAnEarlierSegmentIsReportedEvenAtItsEnd() throws IOException {
    FileLogStore store = openFile(dir(), 1);
    store.persist(null, entries(1, 1, 2));
    store.persist(null, entries(1, 3, 4));
    store.close();
    Path first = dir().resolve(SegmentFile.fileName(1));
    byte[] bytes = Files.readAllBytes(first);
    Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    long secondRecord = RecordCodec.encodedSize(entry(1, 1));
    CorruptLogException e =
        assertThrows(CorruptLogException.class, () -> FileLogStore.open(dir(), Durability.FSYNC));
    assertEquals(first, e.file());
    assertEquals(secondRecord, e.offset());
    assertTrue(e.getMessage().contains("not the last"), e.getMessage());
  }

  @Test
  void outOfOrderIndexIsReported() throws IOException {
    Path d = dir();
    Files.createDirectories(d);
    java.nio.ByteBuffer buf = RecordCodec.encodeAll(List.of(entry(1, 1), entry(1, 3)));
    byte[] bytes = new byte[buf.remaining()];
    buf.get(bytes);
    Files.write(segment(d), bytes);
    CorruptLogException e =
        assertThrows(CorruptLogException.class, () -> FileLogStore.open(d, Durability.FSYNC));
    assertEquals(RecordCodec.encodedSize(entry(1, 1)), e.offset());
    assertTrue(e.getMessage().contains("expected index 2"), e.getMessage());
  }

  // ------------------------------------------------------------------ hard state

  @Test
  void corruptHardStateIsReported() throws IOException {
    try (LogStore store = FileLogStore.open(dir(), Durability.FSYNC)) {
      store.persist(new HardState(5, 3), List.of());
    }
    Path file = dir().resolve(HardStateFile.NAME);
    byte[] good = Files.readAllBytes(file);
    for (int at = 0; at < good.length; at++) {
      byte[] bad = good.clone();
      bad[at] ^= (byte) 0x10;
      Files.write(file, bad);
      CorruptLogException e =
          assertThrows(
              CorruptLogException.class,
              () -> FileLogStore.open(dir(), Durability.FSYNC),
              "flip at " + at);
      assertEquals(file, e.file());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    Files.write(file, java.util.Arrays.copyOf(good, 10));
    assertThrows(CorruptLogException.class, () -> FileLogStore.open(dir(), Durability.FSYNC));
  }

  @Test
  void temporaryHardStateLeftByACrashIsIgnored() throws IOException {
    try (LogStore store = FileLogStore.open(dir(), Durability.FSYNC)) {
      store.persist(new HardState(5, 3), List.of());
    }
    Path temp = dir().resolve(HardStateFile.TEMP_NAME);
    Files.write(temp, new byte[] {1, 2, 3});
    try (LogStore store = FileLogStore.open(dir(), Durability.FSYNC)) {
      assertEquals(new HardState(5, 3), store.hardState());
      assertFalse(Files.exists(temp));
      store.persist(new HardState(6, 0), List.of());
    }
    try (LogStore store = FileLogStore.open(dir(), Durability.FSYNC)) {
      assertEquals(new HardState(6, 0), store.hardState());
    }
  }

  // ------------------------------------------------------------------ syncs

  @Test
  void fsyncModeSyncsOncePerPersistCallThatStoresSomething() throws IOException {
    FileLogStore store = openFile(dir(), FileLogStore.DEFAULT_SEGMENT_BYTES);
    store.persist(null, entries(1, 1, 10));
    assertEquals(1, store.syncCount());
    store.persist(new HardState(1, 1), List.of());
    assertEquals(2, store.syncCount());
    store.persist(new HardState(2, 2), entries(2, 11, 11));
    assertEquals(3, store.syncCount());
    store.persist(null, List.of());
    store.persist(new HardState(2, 2), List.of()); // unchanged: nothing to store
    assertEquals(3, store.syncCount());
    store.persist(null, entries(2, 12, 100));
    assertEquals(4, store.syncCount());
    assertTrue(store.forceCount() >= store.syncCount());
  }

  @Test
  void nosyncModeNeverSyncs() throws IOException {
    FileLogStore store = (FileLogStore) track(FileLogStore.open(dir(), Durability.NOSYNC, 1 << 20));
    store.persist(new HardState(1, 1), entries(1, 1, 10));
    store.persist(new HardState(2, 1), entries(2, 5, 6));
    assertEquals(0, store.syncCount());
    assertEquals(0, store.forceCount());
    assertEquals(6, reopen(store).lastIndex());
  }

  @Test
  void memoryModeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> FileLogStore.open(dir(), Durability.MEMORY));
  }
}
