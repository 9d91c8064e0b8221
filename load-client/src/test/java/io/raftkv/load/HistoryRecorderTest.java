package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.CasOutcome;
import io.raftkv.client.NoQuorumException;
import io.raftkv.client.OutcomeUnknownException;
import io.raftkv.history.HistoryJson;
import io.raftkv.history.LinearizabilityChecker;
import io.raftkv.history.OpType;
import io.raftkv.history.Operation;
import io.raftkv.kv.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load operations as history lines in DESIGN.md's format. */
class HistoryRecorderTest {
  @TempDir Path dir;

  private static final Bytes X = Bytes.utf8("x");

  static IssuedOperation put(int client, String value, long call) {
    return new IssuedOperation(client, Op.PUT, List.of(X), List.of(Bytes.utf8(value)), null, call);
  }

  static IssuedOperation get(int client, long call) {
    return new IssuedOperation(client, Op.GET, List.of(X), List.of(), null, call);
  }

  @Test
  void completedOperationsKeepTheirAnswers() {
    Operation p = HistoryRecorder.toHistory(put(0, "1", 10), null, null, 20).get(0);
    assertEquals(Operation.put(0, "x", "1", 10, 20), p);
    Operation g =
        HistoryRecorder.toHistory(get(1, 30), Optional.of(Bytes.utf8("1")), null, 40).get(0);
    assertEquals(Operation.get(1, "x", "1", 30, 40), g);
    Operation missing = HistoryRecorder.toHistory(get(1, 50), Optional.empty(), null, 60).get(0);
    assertNull(missing.value());
    IssuedOperation cas =
        new IssuedOperation(2, Op.CAS, List.of(X), List.of(Bytes.utf8("2")), Bytes.utf8("1"), 70);
    Operation swapped =
        HistoryRecorder.toHistory(cas, new CasOutcome(true, Optional.empty()), null, 80).get(0);
    assertEquals(Operation.cas(2, "x", "1", "2", true, 70, 80), swapped);
    Operation not =
        HistoryRecorder.toHistory(cas, new CasOutcome(false, Optional.empty()), null, 80).get(0);
    assertFalse(not.ok());
  }

  @Test
  void aMultiPutIsOnePutPerKeyWithTheSameTimes() {
    IssuedOperation multi =
        new IssuedOperation(
            3,
            Op.MULTI_PUT,
            List.of(Bytes.utf8("a"), Bytes.utf8("b")),
            List.of(Bytes.utf8("1"), Bytes.utf8("2")),
            null,
            5);
    assertEquals(
        List.of(Operation.put(3, "a", "1", 5, 9), Operation.put(3, "b", "2", 5, 9)),
        HistoryRecorder.toHistory(multi, null, null, 9));
  }

  @Test
  void unknownOutcomesAreMarkedAndDefiniteRefusalsLeftOut() {
    Operation unknown =
        HistoryRecorder.toHistory(
                put(0, "1", 10),
                null,
                new CompletionException(new OutcomeUnknownException("lost connection")),
                99)
            .get(0);
    assertTrue(unknown.unknown());
    assertEquals(0, unknown.returnNanos());
    assertEquals(OpType.PUT, unknown.type());
    assertTrue(
        HistoryRecorder.toHistory(get(0, 10), null, new TimeoutException("slow"), 99)
            .get(0)
            .unknown());
    assertEquals(
        List.of(),
        HistoryRecorder.toHistory(put(0, "1", 10), null, new NoQuorumException("none"), 99));
  }

  @Test
  void theFileReadsBackAndShiftsClientNumbers() throws IOException {
    Path file = dir.resolve("h.jsonl");
    try (HistoryRecorder r = HistoryRecorder.open(file, 0)) {
      r.completed(put(0, "1", 10), null, null, 20);
      r.withClientBase(4).completed(get(0, 30), Optional.of(Bytes.utf8("1")), null, 40);
      assertEquals(2, r.written());
    }
    List<Operation> read = HistoryJson.read(file);
    assertEquals(
        List.of(Operation.put(0, "x", "1", 10, 20), Operation.get(4, "x", "1", 30, 40)), read);
    assertTrue(LinearizabilityChecker.check(read).linearizable());
  }
}
