package io.raftkv.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on histories generated to be linearizable, and on the same histories corrupted. */
class GeneratedHistoryTest {

  @Test
  void thousandOperationsOnOneKeyWithFiveClientsNeedFewSteps() {
    List<Operation> history = new RandomHistory(1, 5, 1, 0).generate(1000);
    // The budget, not a clock, shows the search is fast: it stays close to one step per operation.
    CheckResult result = LinearizabilityChecker.check(history, 20_000);
    assertTrue(result.linearizable(), result::explanation);
  }

  @Test
  void thousandsOfOperationsOverManyKeysWithUnknownOutcomes() {
    List<Operation> history = new RandomHistory(2, 10, 10, 0.05).generate(5000);
    CheckResult result = LinearizabilityChecker.check(history, 200_000);
    assertTrue(result.linearizable(), result::explanation);
  }

  @Test
  void generatedHistoriesAreLinearizable() {
    for (int i = 0; i < 300; i++) {
      long seed = i;
      List<Operation> history = new RandomHistory(seed, 1 + i % 10, 3, 0.1).generate(200);
      CheckResult result = LinearizabilityChecker.check(history);
      assertTrue(result.linearizable(), () -> "seed " + seed + ": " + result.explanation());
    }
  }

  @Test
  void corruptedReadIsFoundOnItsKey() {
    for (int i = 0; i < 100; i++) {
      long seed = i;
      List<Operation> history = new ArrayList<>(new RandomHistory(seed, 5, 3, 0.1).generate(200));
      int victim = lastCompletedGet(history);
      Operation read = history.get(victim);
      Operation corrupted =
          Operation.get(
              read.client(), read.key(), "never written", read.callNanos(), read.returnNanos());
      history.set(victim, corrupted);
      CheckResult result = LinearizabilityChecker.check(history);
      String context = "seed " + seed + ": " + result.explanation();
      assertFalse(result.linearizable(), context);
      assertEquals(read.key(), result.key(), context);
      assertTrue(result.operations().contains(corrupted), context);
    }
  }

  @Test
  void corruptedReadInTheMiddleOfALargeHistoryWithUnknownOutcomes() {
    List<Operation> history = new ArrayList<>(new RandomHistory(3, 10, 5, 0.05).generate(5000));
    int victim = lastCompletedGet(history.subList(0, 2500));
    Operation read = history.get(victim);
    Operation corrupted =
        Operation.get(
            read.client(), read.key(), "never written", read.callNanos(), read.returnNanos());
    history.set(victim, corrupted);
    CheckResult result = LinearizabilityChecker.check(history);
    assertFalse(result.linearizable());
    assertEquals(read.key(), result.key(), result.explanation());
    assertTrue(result.operations().contains(corrupted), result.explanation());
  }

  private static int lastCompletedGet(List<Operation> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).type() == OpType.GET && !history.get(i).unknown()) {
        return i;
      }
    }
    throw new AssertionError("no completed get");
  }
}
