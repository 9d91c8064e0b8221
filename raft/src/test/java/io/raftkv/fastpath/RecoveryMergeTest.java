package io.raftkv.fastpath;

import static io.raftkv.fastpath.TestEntries.id;
import static io.raftkv.fastpath.TestEntries.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryMergeTest {
  private static final Supermajority THREE = new Supermajority(3);
  private static final Supermajority FIVE = new Supermajority(5);

  private static final NilextEntry A = put(1, 1, 1, "a");
  private static final NilextEntry B = put(1, 2, 1, "b");
  private static final NilextEntry C = put(1, 3, 1, "c");
  private static final NilextEntry D = put(1, 4, 1, "d");
  private static final NilextEntry E = put(1, 5, 1, "e");

  private static boolean nothingOrdered(NilextId id) {
    return false;
  }

  private static RecoveryMerge.Result merge(Supermajority q, List<List<NilextEntry>> logs) {
    return RecoveryMerge.merge(logs, q, 2, RecoveryMergeTest::nothingOrdered);
  }

  @Test
  void keepsEntriesInTheThresholdOfLogsAndDropsTheRest() {
    // n = 5, threshold 2 of the 3 logs: A in 3, B in 2, C in 1.
    RecoveryMerge.Result r = merge(FIVE, List.of(List.of(A, C), List.of(A, B), List.of(B, A)));
    assertEquals(Set.of(A, B), Set.copyOf(r.toPropose()));
    assertEquals(Set.of(C.id()), r.dropped());
  }

  @Test
  void threeReplicasKeepOnlyWhatBothLogsHold() {
    RecoveryMerge.Result r = merge(THREE, List.of(List.of(A, B), List.of(B, C)));
    assertEquals(List.of(B), r.toPropose());
    assertEquals(Set.of(A.id(), C.id()), r.dropped());
  }

  @Test
  void skipsWhatIsAlreadyOrderedWithoutDroppingIt() {
    RecoveryMerge.Result r =
        RecoveryMerge.merge(
            List.of(List.of(A, B, C), List.of(A, B)), THREE, 2, id -> id.equals(A.id()));
    assertEquals(List.of(B), r.toPropose());
    assertEquals(Set.of(C.id()), r.dropped());
  }

  @Test
  void entriesOfTheRecoveryTermOrLaterAreLeftToTheNormalPath() {
    NilextEntry late = put(2, 9, 1, "z");
    RecoveryMerge.Result r = merge(THREE, List.of(List.of(late, A), List.of(late, A)));
    assertEquals(List.of(A), r.toPropose());
    assertEquals(Set.of(), r.dropped());
  }

  @Test
  void ordersByPrecedenceInTheThresholdOfLogs() {
    // B before A in two of three logs, C after both everywhere it is.
    RecoveryMerge.Result r =
        merge(FIVE, List.of(List.of(A, B, C), List.of(B, A, C), List.of(B, C, A)));
    assertEquals(List.of(B, A, C), r.toPropose());
  }

  @Test
  void anEntryMissingFromALogStillCountsAsPrecededThere() {
    // The log lacking A says "B before A" only if it holds B; with A first in two logs of three,
    // A -> B has 2 votes while B -> A has 1 (the third log holds only B).
    RecoveryMerge.Result r = merge(FIVE, List.of(List.of(B), List.of(A, B), List.of(A)));
    assertEquals(List.of(A, B), r.toPropose());
  }

  @Test
  void tiesGoByTheLeadersLogThenById() {
    // n = 5: A and B each precede the other in one log; the third lacks both: no edge, leader's log
    // decides.
    RecoveryMerge.Result r = merge(FIVE, List.of(List.of(B, A), List.of(A, B), List.of(C)));
    assertEquals(List.of(B, A), r.toPropose());
    // Entries the leader lacks go after its own, by id.
    RecoveryMerge.Result r2 = merge(FIVE, List.of(List.of(E), List.of(E, D, C), List.of(E, C, D)));
    assertEquals(List.of(E, C, D), r2.toPropose());
  }

  @Test
  void aClientsEntriesKeepSeqOrderWhateverTheLogsSay() {
    NilextEntry first = put(1, 7, 1, "k");
    NilextEntry second = put(1, 7, 2, "k");
    RecoveryMerge.Result r = merge(THREE, List.of(List.of(second, first), List.of(second, first)));
    assertEquals(List.of(first, second), r.toPropose());
  }

  @Test
  void theCopyOfTheHighestTermIsProposed() {
    NilextEntry retagged = A.withTerm(3);
    RecoveryMerge.Result r =
        RecoveryMerge.merge(
            List.of(List.of(A), List.of(retagged)), THREE, 4, RecoveryMergeTest::nothingOrdered);
    assertEquals(List.of(retagged), r.toPropose());
  }

  @Test
  void aCondorcetCycleIsBrokenDeterministicallyAndEdgesAroundItHold() {
    // [C,A,B], [B,C,A], [A,B,C]: A->B, B->C, C->A, two votes each; E before and D after all.
    List<List<NilextEntry>> logs =
        List.of(List.of(E, C, A, B, D), List.of(E, B, C, A, D), List.of(E, A, B, C, D));
    RecoveryMerge.Result r = merge(FIVE, logs);
    // Inside the cycle: C is earliest in the leader's log; then A, whose only predecessor was C.
    assertEquals(List.of(E, C, A, B, D), r.toPropose());
    assertEquals(r, merge(FIVE, List.of(logs.get(0), logs.get(2), logs.get(1))));
  }

  @Test
  void aLongPendingLogKeepsItsOrder() {
    // 1500 entries in the same order everywhere: a complete DAG, and a deep search for Tarjan.
    List<NilextEntry> log = new ArrayList<>();
    for (int c = 1500; c >= 1; c--) {
      log.add(put(1, c, 1, "k" + c % 7));
    }
    RecoveryMerge.Result r = merge(FIVE, List.of(log, log, List.of()));
    assertEquals(log, r.toPropose());
  }

  @Test
  void refusesTooFewOrTooManyLogs() {
    assertThrows(IllegalArgumentException.class, () -> merge(FIVE, List.of(List.of(), List.of())));
    List<List<NilextEntry>> four = Collections.nCopies(4, List.of());
    assertThrows(IllegalArgumentException.class, () -> merge(THREE, four));
  }

  // ------------------------------------------------------------------ property

  @Test
  void randomHistoriesOnThreeReplicasOverEveryMajority() {
    MergeProperty.Stats s = new MergeProperty(3, 1500, 11).run();
    assertTrue(s.merges() > 12_000, s.toString());
    assertTrue(s.completedKept() > 12_000, s.toString());
    assertTrue(s.realTimePairs() > 5_000, s.toString());
    // Two logs of three: an edge needs both, so no cycle. Three logs can cycle (Condorcet), but
    // never through a real-time pair: both would have to be in all three logs, in that order.
    assertTrue(s.cycles() > 0, s.toString());
    assertEquals(0, s.cyclesFromAMajority(), "n = 3 can have no cycles: " + s);
    assertEquals(0, s.realTimePairsOnCycles(), s.toString());
    assertEquals(0, s.realTimeViolations(), s.toString());
  }

  @Test
  void randomHistoriesOnFiveReplicasOverEveryMajority() {
    MergeProperty.Stats s = new MergeProperty(5, 300, 12).run();
    assertTrue(s.merges() > 15_000, s.toString());
    assertTrue(s.completedKept() > 15_000, s.toString());
    assertTrue(s.realTimePairs() > 10_000, s.toString());
    // Violations of real time can only be inside cycles (checked per case in MergeProperty).
    assertTrue(s.realTimeViolations() <= s.realTimePairsOnCycles(), s.toString());
  }

  @Test
  void theSameSeedGivesTheSameStatistics() {
    assertEquals(new MergeProperty(5, 20, 99).run(), new MergeProperty(5, 20, 99).run());
  }

  static List<List<Integer>> subsetsOfAtLeast(int n, int min) {
    List<List<Integer>> out = new ArrayList<>();
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) >= min) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if ((mask & (1 << i)) != 0) {
            s.add(i);
          }
        }
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void subsetsAreAllMajorities() {
    assertEquals(4, subsetsOfAtLeast(3, 2).size());
    assertEquals(16, subsetsOfAtLeast(5, 3).size());
  }
}
