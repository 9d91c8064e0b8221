package io.raftkv.fastpath;

import static io.raftkv.fastpath.FastPathAcks.Decision.COMPLETE;
import static io.raftkv.fastpath.FastPathAcks.Decision.FALL_BACK;
import static io.raftkv.fastpath.FastPathAcks.Decision.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FastPathAcksTest {
  private static final Set<Integer> THREE = Set.of(1, 2, 3);
  private static final Set<Integer> FIVE = Set.of(1, 2, 3, 4, 5);

  private static FastPathAck ok(int replica, long term, boolean leader) {
    return new FastPathAck(replica, term, leader, true);
  }

  private static FastPathAck no(int replica, long term, boolean leader) {
    return new FastPathAck(replica, term, leader, false);
  }

  @Test
  void threeReplicasCompleteOnlyWithAllThreeIncludingTheLeader() {
    FastPathAcks acks = new FastPathAcks(THREE, 4);
    assertEquals(PENDING, acks.add(ok(2, 4, false)));
    assertEquals(PENDING, acks.add(ok(1, 4, true)));
    assertEquals(COMPLETE, acks.add(ok(3, 4, false)));
    assertEquals(3, acks.acceptedCount());
  }

  @Test
  void fiveReplicasCompleteOnFourWithTheLeader() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    acks.add(ok(1, 2, true));
    acks.add(ok(2, 2, false));
    assertEquals(PENDING, acks.add(ok(3, 2, false)));
    assertEquals(COMPLETE, acks.add(ok(5, 2, false)));
  }

  @Test
  void aSupermajorityWithoutTheLeaderWaitsForTheLeader() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    for (int r = 2; r <= 5; r++) {
      assertEquals(PENDING, acks.add(ok(r, 2, false)), "replica " + r);
    }
    assertEquals(COMPLETE, acks.add(ok(1, 2, true)));
  }

  @Test
  void everyReplicaAnsweredAndNoneWasTheLeaderFallsBack() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    for (int r = 1; r <= 4; r++) {
      acks.add(ok(r, 2, false));
    }
    assertEquals(FALL_BACK, acks.add(ok(5, 2, false)));
  }

  @Test
  void onlyStragglersAreMissingOnceTheLeaderAndAMajorityOfTheTermAccepted() {
    FastPathAcks three = new FastPathAcks(THREE, 4);
    three.add(ok(2, 4, false));
    assertFalse(three.onlyStragglersMissing(), "one of three");
    three.add(ok(3, 4, false));
    assertFalse(three.onlyStragglersMissing(), "a majority, but not the leader");
    FastPathAcks withLeader = new FastPathAcks(THREE, 4);
    withLeader.add(ok(1, 4, true));
    assertFalse(withLeader.onlyStragglersMissing(), "the leader alone");
    withLeader.add(no(2, 5, false));
    assertFalse(withLeader.onlyStragglersMissing(), "an answer of another term does not count");
    FastPathAcks majority = new FastPathAcks(THREE, 4);
    majority.add(ok(1, 4, true));
    majority.add(ok(3, 4, false));
    assertTrue(majority.onlyStragglersMissing());
    majority.add(ok(2, 4, false));
    assertEquals(COMPLETE, majority.decision());
    assertFalse(majority.onlyStragglersMissing(), "decided: nothing is missing any more");

    FastPathAcks five = new FastPathAcks(FIVE, 2);
    five.add(ok(1, 2, true));
    five.add(ok(2, 2, false));
    assertFalse(five.onlyStragglersMissing(), "two of five");
    five.add(ok(3, 2, false));
    assertTrue(five.onlyStragglersMissing(), "three of five with the leader");
    assertEquals(PENDING, five.decision());
  }

  @Test
  void duplicatesFromOneReplicaCountOnce() {
    FastPathAcks acks = new FastPathAcks(FIVE, 7);
    acks.add(ok(1, 7, true));
    for (int i = 0; i < 5; i++) {
      assertEquals(PENDING, acks.add(ok(2, 7, false)));
    }
    assertEquals(2, acks.acceptedCount());
    acks.add(ok(3, 7, false));
    assertEquals(PENDING, acks.add(ok(3, 7, false)));
    assertEquals(COMPLETE, acks.add(ok(4, 7, false)));
  }

  @Test
  void aReplicasFirstAnswerStandsEvenIfALaterOneSaysOtherwise() {
    FastPathAcks acks = new FastPathAcks(THREE, 3);
    acks.add(no(2, 3, false));
    assertEquals(FALL_BACK, acks.decision());
    assertEquals(FALL_BACK, acks.add(ok(2, 3, false)));
    assertEquals(0, acks.acceptedCount());
  }

  @Test
  void acceptancesOfAnotherTermDoNotCount() {
    FastPathAcks acks = new FastPathAcks(FIVE, 5);
    acks.add(ok(1, 5, true));
    acks.add(ok(2, 5, false));
    acks.add(ok(3, 6, false)); // a replica already in term 6: not an acceptance of term 5
    assertEquals(2, acks.acceptedCount());
    assertEquals(PENDING, acks.decision());
    assertEquals(FALL_BACK, acks.add(ok(4, 6, true)));
    assertEquals(6, acks.highestTermSeen());
  }

  @Test
  void tooManyRefusalsFallBackAsSoonAsCompletionIsImpossible() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    assertEquals(PENDING, acks.add(no(4, 3, false)));
    assertEquals(FALL_BACK, acks.add(no(5, 2, false)));
  }

  @Test
  void aRefusalByTheLeaderOfTheTermFallsBackAtOnce() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    acks.add(ok(2, 2, false));
    assertEquals(FALL_BACK, acks.add(no(1, 2, true)));
  }

  @Test
  void aLeaderOfANewerTermRefusingDoesNotDecideAlone() {
    FastPathAcks acks = new FastPathAcks(FIVE, 2);
    assertEquals(PENDING, acks.add(no(1, 3, true)));
    assertEquals(3, acks.highestTermSeen());
  }

  @Test
  void decisionsAreFinalAndStrangersIgnored() {
    FastPathAcks acks = new FastPathAcks(THREE, 1);
    assertEquals(PENDING, acks.add(ok(9, 1, true)));
    assertEquals(0, acks.acceptedCount());
    acks.add(ok(1, 1, true));
    acks.add(ok(2, 1, false));
    acks.add(ok(3, 1, false));
    assertEquals(COMPLETE, acks.decision());
    assertEquals(COMPLETE, acks.add(no(3, 2, false)));
  }

  @Test
  void aSingleReplicaClusterCompletesOnItsLeader() {
    FastPathAcks acks = new FastPathAcks(Set.of(1), 1);
    assertEquals(COMPLETE, acks.add(ok(1, 1, true)));
    FastPathAcks notLeader = new FastPathAcks(Set.of(1), 1);
    assertEquals(FALL_BACK, notLeader.add(ok(1, 1, false)));
  }
}
