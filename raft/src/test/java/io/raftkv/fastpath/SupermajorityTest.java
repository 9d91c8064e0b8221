package io.raftkv.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupermajorityTest {
  @ParameterizedTest
  @CsvSource({"1, 0, 1, 1, 1", "3, 1, 2, 3, 2", "5, 2, 3, 4, 2", "7, 3, 4, 6, 3", "9, 4, 5, 7, 3"})
  void sizesForOddClusters(int n, int f, int majority, int supermajority, int threshold) {
    Supermajority q = new Supermajority(n);
    assertEquals(f, q.faults());
    assertEquals(majority, q.majority());
    assertEquals(supermajority, q.size());
    assertEquals(threshold, q.recoveryThreshold());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 2, 4, 6})
  void evenOrEmptyClustersAreRejected(int n) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Supermajority(n));
    assertTrue(e.getMessage().contains("odd"), e.getMessage());
  }

  /**
   * The two facts recovery rests on, for every odd n up to 21: a majority meets a supermajority in
   * at least the threshold, and the replicas outside a supermajority (those that may order two
   * updates against real time) are fewer than the threshold.
   */
  @Test
  void recoveryArithmeticHoldsForEveryOddSize() {
    for (int n = 1; n <= 21; n += 2) {
      Supermajority q = new Supermajority(n);
      assertTrue(q.size() <= n && q.size() >= q.majority(), "n=" + n);
      assertTrue(q.majority() + q.size() - n >= q.recoveryThreshold(), "n=" + n);
      assertTrue(n - q.size() < q.recoveryThreshold(), "n=" + n);
    }
  }
}
