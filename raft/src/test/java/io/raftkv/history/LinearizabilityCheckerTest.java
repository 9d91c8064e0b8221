package io.raftkv.history;

import static io.raftkv.history.Operation.cas;
import static io.raftkv.history.Operation.delete;
import static io.raftkv.history.Operation.get;
import static io.raftkv.history.Operation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

  private static void assertLinearizable(List<Operation> history) {
    CheckResult result = LinearizabilityChecker.check(history);
    assertTrue(result.linearizable(), result::explanation);
    assertNull(result.key());
    assertTrue(result.operations().isEmpty());
  }

  private static CheckResult assertViolation(List<Operation> history, String key) {
    CheckResult result = LinearizabilityChecker.check(history);
    assertFalse(result.linearizable(), "expected a violation on " + key);
    assertEquals(key, result.key(), result.explanation());
    assertFalse(result.operations().isEmpty(), result.explanation());
    assertTrue(result.explanation().contains("\"" + key + "\""), result.explanation());
    return result;
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertLinearizable(List.of());
  }

  @Test
  void sequentialHistory() {
    assertLinearizable(
        List.of(
            get(0, "x", null, 0, 10),
            put(0, "x", "1", 20, 30),
            get(1, "x", "1", 40, 50),
            cas(0, "x", "1", "2", true, 60, 70),
            get(1, "x", "2", 80, 90),
            delete(0, "x", 100, 110),
            get(1, "x", null, 120, 130),
            cas(1, "x", null, "3", true, 140, 150),
            get(0, "x", "3", 160, 170)));
  }

  @Test
  void concurrentPutsAndGetsWhereOnlyOneOrderWorks() {
    // put 1 and put 2 overlap; get 2 then get 1 overlap both: only put 2, get 2, put 1, get 1.
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 100),
            put(1, "x", "2", 0, 100),
            get(2, "x", "2", 10, 100),
            get(3, "x", "1", 50, 150),
            get(2, "x", "1", 160, 170)));
  }

  @Test
  void concurrentOrderThatContradictsLaterReadsIsRejected() {
    // get 2 returns before get 1 starts, so 2 is overwritten by 1: a later read of 2 is stale.
    CheckResult result =
        assertViolation(
            List.of(
                put(0, "x", "1", 0, 100),
                put(1, "x", "2", 0, 100),
                get(2, "x", "2", 10, 40),
                get(3, "x", "1", 50, 150),
                get(2, "x", "2", 160, 170)),
            "x");
    assertTrue(result.operations().contains(get(2, "x", "2", 160, 170)), result::explanation);
  }

  @Test
  void failedCasIsLinearizable() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            cas(1, "x", "0", "2", false, 20, 30),
            get(0, "x", "1", 40, 50),
            cas(1, "x", null, "3", false, 60, 70)));
  }

  @Test
  void failedCasWhileValueMatchesIsRejected() {
    assertViolation(List.of(put(0, "x", "1", 0, 10), cas(1, "x", "1", "2", false, 20, 30)), "x");
  }

  @Test
  void unknownPutLaterSeen() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownPut(1, "x", "2", 20),
            get(0, "x", "1", 30, 40),
            get(0, "x", "2", 500, 510),
            get(2, "x", "2", 600, 610)));
  }

  @Test
  void unknownPutNeverSeen() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownPut(1, "x", "2", 20),
            get(0, "x", "1", 30, 40),
            put(0, "x", "3", 50, 60),
            get(0, "x", "3", 70, 80)));
  }

  @Test
  void unknownPutNeverSeenWithFailedCasOnTheKey() {
    // A failed cas keeps the unknown put in the search; the put must still be allowed to vanish.
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownPut(1, "x", "2", 20),
            cas(0, "x", "5", "6", false, 30, 40),
            get(0, "x", "1", 50, 60)));
  }

  @Test
  void unknownCasMayTakeEffectOrNot() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownCas(1, "x", "1", "2", 20),
            get(0, "x", "1", 30, 40),
            get(0, "x", "2", 50, 60)));
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownCas(1, "x", "1", "2", 20),
            get(0, "x", "1", 30, 40),
            put(0, "x", "3", 50, 60),
            get(0, "x", "3", 70, 80)));
  }

  @Test
  void unknownCasTakesEffectOnlyWhereItsExpectedValueMatches() {
    // The cas expects 9, which the key never holds: it cannot explain the read of 2.
    assertViolation(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownCas(1, "x", "9", "2", 20),
            get(0, "x", "2", 30, 40)),
        "x");
  }

  @Test
  void unknownWriteCannotBeSeenBeforeItWasCalled() {
    assertViolation(
        List.of(
            put(0, "x", "1", 0, 10),
            get(0, "x", "2", 20, 30),
            Operation.unknownPut(1, "x", "2", 40)),
        "x");
  }

  @Test
  void unknownDeleteMayTakeEffect() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownDelete(1, "x", 20),
            get(0, "x", "1", 30, 40),
            get(0, "x", null, 50, 60)));
    assertViolation(
        List.of(
            put(0, "x", "1", 0, 10),
            Operation.unknownDelete(1, "x", 20),
            get(0, "x", null, 30, 40),
            get(0, "x", "1", 50, 60)),
        "x");
  }

  /**
   * A put of 1 and then {@code rounds} times: a cas from 1 that did not swap, and a put of 1 again.
   * Each failed cas needs one of the {@code unknownWrites} unknown puts (of values nothing
   * observes) to have taken effect just before it, and each can take effect once.
   */
  private static List<Operation> failedCasRounds(int rounds, int unknownWrites) {
    List<Operation> history = new ArrayList<>();
    history.add(put(0, "x", "1", 0, 10));
    for (int i = 0; i < unknownWrites; i++) {
      history.add(Operation.unknownPut(10 + i, "x", "u" + i, 20 + i));
    }
    for (int i = 0; i < rounds; i++) {
      long t = 1000 + 100L * i;
      history.add(cas(1, "x", "1", "9", false, t, t + 10));
      history.add(put(1, "x", "1", t + 20, t + 30));
    }
    return history;
  }

  @Test
  void eachUnknownWriteTakesEffectAtMostOnce() {
    assertLinearizable(failedCasRounds(8, 8));
    assertViolation(failedCasRounds(8, 7), "x");
  }

  @Test
  void interchangeableUnknownWritesDoNotMultiplyTheSearch() {
    // 40 unknown puts of unobserved values could take effect in 2^40 combinations; they are
    // interchangeable, so the search tries them in call order only.
    List<Operation> history = failedCasRounds(10, 40);
    history.add(get(2, "x", "never written", 5000, 5010));
    CheckResult result = LinearizabilityChecker.check(history, 100_000);
    assertFalse(result.linearizable());
    assertEquals(
        List.of(put(1, "x", "1", 1920, 1930), get(2, "x", "never written", 5000, 5010)),
        result.operations());
  }

  @Test
  void unknownGetConstrainsNothing() {
    assertLinearizable(
        List.of(
            put(0, "x", "1", 0, 10), Operation.unknownGet(1, "x", 5), get(0, "x", "1", 20, 30)));
  }

  @Test
  void staleRead() {
    CheckResult result =
        assertViolation(
            List.of(put(0, "x", "1", 0, 10), put(0, "x", "2", 20, 30), get(1, "x", "1", 40, 50)),
            "x");
    assertEquals(List.of(put(0, "x", "2", 20, 30), get(1, "x", "1", 40, 50)), result.operations());
  }

  @Test
  void lostAcknowledgedWrite() {
    assertViolation(
        List.of(put(0, "x", "1", 0, 10), put(1, "x", "2", 20, 30), get(2, "x", "1", 40, 50)), "x");
    assertViolation(List.of(put(0, "x", "1", 0, 10), get(1, "x", null, 20, 30)), "x");
  }

  @Test
  void twoCasWithTheSameExpectedValueBothSucceeding() {
    assertViolation(
        List.of(
            put(0, "x", "0", 0, 10),
            cas(1, "x", "0", "1", true, 20, 100),
            cas(2, "x", "0", "2", true, 30, 110)),
        "x");
  }

  @Test
  void unknownWriteSeenThenGone() {
    CheckResult result =
        assertViolation(
            List.of(
                put(0, "x", "1", 0, 10),
                Operation.unknownPut(1, "x", "2", 20),
                get(0, "x", "2", 30, 40),
                get(0, "x", "1", 50, 60)),
            "x");
    assertTrue(result.operations().contains(get(0, "x", "1", 50, 60)), result::explanation);
  }

  @Test
  void readOfAValueNeverWritten() {
    CheckResult result =
        assertViolation(List.of(put(0, "x", "1", 0, 10), get(1, "x", "7", 20, 30)), "x");
    assertTrue(
        result.explanation().contains("no operation on the key writes"), result::explanation);
  }

  @Test
  void deleteThenReadOfOldValue() {
    assertViolation(
        List.of(put(0, "x", "1", 0, 10), delete(0, "x", 20, 30), get(1, "x", "1", 40, 50)), "x");
  }

  @Test
  void multiKeyHistoryNamesTheBadKey() {
    List<Operation> history = new ArrayList<>();
    for (String key : List.of("a", "b", "c", "d")) {
      history.add(put(0, key, key + "1", 0, 10));
      history.add(put(1, key, key + "2", 5, 15));
      history.add(get(2, key, key + "2", 20, 30));
    }
    history.add(get(3, "c", "c1", 40, 50));
    assertViolation(history, "c");
  }

  @Test
  void badKeysAreReportedInSortedOrder() {
    List<Operation> history =
        List.of(
            put(0, "z", "1", 0, 10),
            get(1, "z", null, 20, 30),
            put(0, "m", "1", 0, 10),
            get(1, "m", null, 20, 30));
    assertViolation(history, "m");
  }

  @Test
  void searchBudgetThrowsNamingTheKey() {
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.add(put(i, "k", "v" + i, 0, 100));
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LinearizabilityChecker.check(history, 5));
    assertTrue(e.getMessage().contains("\"k\""), e.getMessage());
  }

  @Test
  void budgetLargeEnoughForTheHistoryDoesNotThrow() {
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.add(put(i, "k", "v" + i, 0, 100));
    }
    assertTrue(LinearizabilityChecker.check(history, 20).linearizable());
  }
}
