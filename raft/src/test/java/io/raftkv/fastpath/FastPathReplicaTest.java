package io.raftkv.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.Role;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link FastPathReplica}: acceptance in the current term only, persist before acknowledgment,
 * background ordering by count and by timer, forced ordering, removal on apply, and a new leader's
 * recovery from a majority's durability logs (Skyros §4).
 */
class FastPathReplicaTest {
  private static final List<Integer> THREE = List.of(1, 2, 3);
  private static final Predicate<NilextId> NOTHING_ORDERED = id -> false;

  private static FastPathReplica replica(int id, int batch, int delay) {
    return new FastPathReplica(id, THREE, new DurabilityLog(), batch, delay, 2);
  }

  private static KvRequest put(long client, long seq, String key) {
    return new KvRequest(client, seq, new KvCommand.Put(Bytes.utf8(key), Bytes.utf8("v" + seq)));
  }

  private static NilextEntry entry(long term, long client, long seq, String key) {
    return NilextEntry.of(term, put(client, seq, key));
  }

  /** Drives a replica into leadership of {@code term} with a finished, empty recovery. */
  private static FastPathReplica leader(int batch, int delay, long term) {
    FastPathReplica r = replica(1, batch, delay);
    r.afterInput(term, Role.LEADER, NOTHING_ORDERED);
    for (Message m : r.takeMessages()) {
      r.onMessage(
          new Message.DurabilityLogResponse(m.to(), 1, term, List.of()), term, NOTHING_ORDERED);
    }
    assertTrue(r.serving());
    r.takeFence();
    r.takeProposals();
    return r;
  }

  @Test
  void acceptsOnlyInTheCurrentTermAndNotAsCandidate() {
    FastPathReplica r = replica(2, 64, 1);
    assertTrue(r.onNilext(entry(3, 7, 1, "a"), 3, Role.FOLLOWER, false).accepted());
    assertFalse(r.onNilext(entry(2, 7, 2, "a"), 3, Role.FOLLOWER, false).accepted());
    assertFalse(r.onNilext(entry(4, 7, 3, "a"), 3, Role.FOLLOWER, false).accepted());
    assertFalse(r.onNilext(entry(3, 7, 4, "a"), 3, Role.CANDIDATE, false).accepted());
    assertFalse(r.onNilext(entry(3, 7, 5, "a"), 3, Role.PRE_CANDIDATE, false).accepted());
    assertEquals(List.of(new NilextId(7, 1)), ids(r.takeToPersist()), "only the accepted one");
  }

  @Test
  void aDuplicateIsAcknowledgedWithoutASecondWrite() {
    FastPathReplica r = replica(2, 64, 1);
    assertTrue(r.onNilext(entry(3, 7, 1, "a"), 3, Role.FOLLOWER, false).accepted());
    assertEquals(1, r.takeToPersist().size());
    assertTrue(r.onNilext(entry(3, 7, 1, "a"), 3, Role.FOLLOWER, false).accepted());
    assertTrue(r.takeToPersist().isEmpty(), "a duplicate was written again");
    Acceptance applied = r.onNilext(entry(3, 7, 2, "b"), 3, Role.FOLLOWER, true);
    assertTrue(applied.accepted());
    assertTrue(r.takeToPersist().isEmpty(), "an applied update entered the log");
    assertEquals(1, r.log().size());
  }

  @Test
  void theLeaderOrdersOnceABatchWaits() {
    FastPathReplica r = leader(3, 1000, 5);
    r.onNilext(entry(5, 1, 1, "a"), 5, Role.LEADER, false);
    r.onNilext(entry(5, 2, 1, "b"), 5, Role.LEADER, false);
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    assertTrue(r.takeProposals().isEmpty(), "ordered before the batch was full");
    r.onNilext(entry(5, 3, 1, "c"), 5, Role.LEADER, false);
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    List<byte[]> ordered = r.takeProposals();
    assertEquals(3, ordered.size());
    assertArrayEquals(KvCodec.encode(put(1, 1, "a")), ordered.get(0), "arrival order kept");
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    r.tick();
    assertTrue(r.takeProposals().isEmpty(), "an update was proposed twice");
  }

  @Test
  void theLeaderOrdersOnItsTimer() {
    FastPathReplica r = leader(1000, 3, 5);
    r.onNilext(entry(5, 1, 1, "a"), 5, Role.LEADER, false);
    r.tick();
    r.tick();
    assertTrue(r.takeProposals().isEmpty());
    r.tick();
    assertEquals(1, r.takeProposals().size());
  }

  @Test
  void orderNowProposesEverythingPendingAndFollowersNeverOrder() {
    FastPathReplica f = replica(2, 1, 1);
    f.onNilext(entry(5, 1, 1, "a"), 5, Role.FOLLOWER, false);
    f.afterInput(5, Role.FOLLOWER, NOTHING_ORDERED);
    f.tick();
    f.orderNow();
    assertTrue(f.takeProposals().isEmpty(), "a follower ordered");

    FastPathReplica r = leader(1000, 1000, 5);
    r.onNilext(entry(5, 1, 1, "a"), 5, Role.LEADER, false);
    assertTrue(r.touchesPending(put(9, 1, "a")));
    assertFalse(r.touchesPending(put(9, 1, "z")));
    r.orderNow();
    assertEquals(1, r.takeProposals().size());
  }

  /**
   * The bug the simulator found: the node loop ordered pending updates before a read of a pending
   * key and before a non-nilext update, but not before a nilext update that fell back to the
   * ordered path. Proposed ahead of a pending update that had completed before it was called, the
   * fallen-back update was applied first and then overwritten (a lost write, not linearizable), and
   * an earlier pending update of the same client was refused by its session as a stale sequence.
   */
  @Test
  void everyOrderedUpdateAndAReadOfAPendingKeyComeAfterWhatIsPending() {
    FastPathReplica r = leader(64, 100, 2);
    KvRequest fellBack = put(8, 1, "b");
    KvRequest read = new KvRequest(9, -1, new KvCommand.Get(Bytes.utf8("a")));
    KvRequest otherRead = new KvRequest(9, -2, new KvCommand.Get(Bytes.utf8("b")));
    assertFalse(r.mustOrderBefore(fellBack), "nothing pending: nothing to order first");
    assertFalse(r.mustOrderBefore(read));
    assertTrue(r.onNilext(entry(2, 7, 1, "a"), 2, Role.LEADER, false).accepted());
    assertTrue(r.mustOrderBefore(fellBack), "a fallen-back nilext update of another key");
    assertTrue(r.mustOrderBefore(put(7, 2, "c")), "the same client's next update");
    KvRequest cas = new KvRequest(8, 2, new KvCommand.Cas(Bytes.utf8("c"), null, Bytes.utf8("x")));
    assertTrue(r.mustOrderBefore(cas), "a non-nilext update");
    assertTrue(r.mustOrderBefore(read), "a read of the pending key");
    assertFalse(r.mustOrderBefore(otherRead), "a read of another key is not held up");
    r.orderNow();
    assertEquals(1, r.takeProposals().size());
    r.onApplied(put(7, 1, "a"));
    assertFalse(r.mustOrderBefore(fellBack), "nothing pending any more");
  }

  @Test
  void appliedUpdatesLeaveTheLog() {
    FastPathReplica r = replica(2, 64, 1);
    r.onNilext(entry(3, 7, 1, "a"), 3, Role.FOLLOWER, false);
    r.onNilext(entry(3, 8, 1, "b"), 3, Role.FOLLOWER, false);
    r.onApplied(put(7, 1, "a"));
    r.onApplied(new KvRequest(9, 1, new KvCommand.Get(Bytes.utf8("a"))));
    assertEquals(List.of(new NilextId(7, 1)), r.takeRemoved());
    assertEquals(1, r.log().size());
    assertFalse(r.touchesPending(put(1, 1, "a")));
  }

  @Test
  void aNewLeaderFencesAsksEveryPeerAndServesOnlyAfterAMajorityAnswered() {
    FastPathReplica r = replica(1, 64, 1);
    r.onNilext(entry(4, 7, 1, "a"), 4, Role.FOLLOWER, false);
    r.takeToPersist();
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    assertFalse(r.serving(), "served before recovery");
    assertEquals(5, r.takeFence(), "the leader's own log is fenced and persisted first");
    List<Message> asks = r.takeMessages();
    assertEquals(Set.of(2, 3), asks.stream().map(Message::to).collect(Collectors.toSet()));
    asks.forEach(m -> assertInstanceOf(Message.DurabilityLogRequest.class, m));
    // An older term's update refused from now on, even in an older term's tag.
    assertFalse(r.onNilext(entry(4, 7, 2, "a"), 4, Role.FOLLOWER, false).accepted());

    // Node 2 holds the same update: with the leader's copy it reaches ceil(f/2)+1 = 2 logs.
    r.onMessage(
        new Message.DurabilityLogResponse(
            2, 1, 5, FastPathReplica.encode(List.of(entry(4, 7, 1, "a")))),
        5,
        NOTHING_ORDERED);
    assertTrue(r.serving());
    List<byte[]> recovered = r.takeProposals();
    assertEquals(1, recovered.size());
    assertArrayEquals(KvCodec.encode(put(7, 1, "a")), recovered.get(0));
  }

  /**
   * A new leader may recover an update it never held itself (it completed on other replicas): its
   * caller learns that a recovery finished, so it holds reads until the recovered updates apply.
   */
  @Test
  void aRecoveredUpdateTheLeaderNeverHeldIsProposedAndFlagged() {
    // Five replicas: an update completes on 4 of them, so the new leader may be the fifth.
    FastPathReplica r =
        new FastPathReplica(1, List.of(1, 2, 3, 4, 5), new DurabilityLog(), 64, 1, 2);
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    assertFalse(r.takeRecoveryFinished(), "flagged before the logs arrived");
    r.takeMessages();
    List<Entry> held = FastPathReplica.encode(List.of(entry(4, 7, 1, "a")));
    r.onMessage(new Message.DurabilityLogResponse(2, 1, 5, held), 5, NOTHING_ORDERED);
    assertFalse(r.serving(), "two logs of five are not a majority");
    r.onMessage(new Message.DurabilityLogResponse(3, 1, 5, held), 5, NOTHING_ORDERED);
    assertTrue(r.serving());
    assertTrue(r.takeRecoveryFinished());
    assertFalse(r.takeRecoveryFinished(), "the flag is taken once");
    assertFalse(r.touchesPending(put(9, 1, "a")), "the leader's own log never held it");
    assertEquals(1, r.takeProposals().size());
  }

  @Test
  void recoveryDropsWhatTooFewLogsHoldAndTellsThePeers() {
    FastPathReplica r = replica(1, 64, 1);
    r.onNilext(entry(4, 7, 1, "a"), 4, Role.FOLLOWER, false);
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    r.takeMessages();
    r.onMessage(new Message.DurabilityLogResponse(3, 1, 5, List.of()), 5, NOTHING_ORDERED);
    assertTrue(r.serving());
    assertTrue(r.takeProposals().isEmpty(), "an update in one log of two was kept");
    assertEquals(0, r.log().size(), "the leader kept a dropped update");
    List<Message> prunes = r.takeMessages();
    assertEquals(2, prunes.size());
    Message.DurabilityLogPrune p =
        assertInstanceOf(Message.DurabilityLogPrune.class, prunes.get(0));
    assertEquals(5, p.term());

    FastPathReplica peer = replica(2, 64, 1);
    peer.onNilext(entry(4, 7, 1, "a"), 4, Role.FOLLOWER, false);
    peer.onNilext(entry(5, 8, 1, "b"), 5, Role.FOLLOWER, false);
    peer.onMessage(p, 5, NOTHING_ORDERED);
    assertEquals(List.of(new NilextId(7, 1)), peer.takeRemoved());
    assertEquals(1, peer.log().size(), "an update of the new term was pruned");
  }

  @Test
  void recoverySkipsUpdatesAlreadyInTheRaftLog() {
    FastPathReplica r = replica(1, 64, 1);
    r.onNilext(entry(4, 7, 1, "a"), 4, Role.FOLLOWER, false);
    Predicate<NilextId> inLog = id -> id.equals(new NilextId(7, 1));
    r.afterInput(5, Role.LEADER, inLog);
    r.takeMessages();
    r.onMessage(
        new Message.DurabilityLogResponse(
            2, 1, 5, FastPathReplica.encode(List.of(entry(4, 7, 1, "a")))),
        5,
        inLog);
    assertTrue(r.takeProposals().isEmpty(), "an update already ordered was proposed again");
  }

  @Test
  void aReplicaAnswersARecoveryRequestOnlyInItsTermAndFencesFirst() {
    FastPathReplica peer = replica(2, 64, 1);
    peer.onNilext(entry(5, 7, 1, "a"), 5, Role.FOLLOWER, false);
    peer.onMessage(new Message.DurabilityLogRequest(1, 2, 6), 5, NOTHING_ORDERED);
    assertTrue(peer.takeMessages().isEmpty(), "answered a leader of another term");
    peer.onMessage(new Message.DurabilityLogRequest(1, 2, 6), 6, NOTHING_ORDERED);
    assertEquals(6, peer.takeFence());
    Message.DurabilityLogResponse answer =
        assertInstanceOf(Message.DurabilityLogResponse.class, peer.takeMessages().get(0));
    assertEquals(1, answer.entries().size());
    assertEquals(5, answer.entries().get(0).term(), "the accepted term travels with the entry");
  }

  @Test
  void losingLeadershipForgetsTheRecoveryAndARetryAsksAgain() {
    FastPathReplica r = replica(1, 64, 1);
    r.afterInput(5, Role.LEADER, NOTHING_ORDERED);
    r.takeMessages();
    r.tick();
    r.tick();
    assertEquals(2, r.takeMessages().size(), "no retry of the unanswered requests");
    r.afterInput(6, Role.FOLLOWER, NOTHING_ORDERED);
    assertFalse(r.serving());
    r.tick();
    r.tick();
    assertTrue(r.takeMessages().isEmpty());
  }

  private static List<NilextId> ids(List<NilextEntry> entries) {
    return entries.stream().map(NilextEntry::id).toList();
  }
}
