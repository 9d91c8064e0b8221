package io.raftkv.fastpath;

import static io.raftkv.fastpath.TestEntries.id;
import static io.raftkv.fastpath.TestEntries.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KeyValue;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DurabilityLogTest {
  private final DurabilityLog log = new DurabilityLog();

  private static Bytes key(String k) {
    return Bytes.utf8(k);
  }

  @Test
  void acceptsInTheCurrentTermInArrivalOrder() {
    NilextEntry a = put(3, 1, 1, "x");
    NilextEntry b = put(3, 2, 1, "y");
    assertEquals(Acceptance.APPENDED, log.accept(b, 3, false));
    assertEquals(Acceptance.APPENDED, log.accept(a, 3, false));
    assertEquals(List.of(b, a), log.snapshot());
    assertTrue(Acceptance.APPENDED.accepted() && Acceptance.APPENDED.mustPersist());
  }

  @Test
  void refusesAnotherTermOlderOrNewer() {
    assertEquals(Acceptance.REFUSED_WRONG_TERM, log.accept(put(2, 1, 1, "x"), 3, false));
    assertEquals(Acceptance.REFUSED_WRONG_TERM, log.accept(put(4, 1, 1, "x"), 3, false));
    assertTrue(log.isEmpty());
    assertFalse(Acceptance.REFUSED_WRONG_TERM.accepted());
  }

  @Test
  void refusesWhileCandidate() {
    assertEquals(Acceptance.REFUSED_CANDIDATE, log.accept(put(3, 1, 1, "x"), 3, true));
    assertTrue(log.isEmpty());
  }

  @Test
  void aFenceRefusesOlderTermsAndOnlyRises() {
    assertTrue(log.fence(5));
    assertFalse(log.fence(5));
    assertFalse(log.fence(4));
    assertEquals(5, log.fenceTerm());
    // A replica still in term 4 (the hand-over reply raced its term change) must refuse term 4.
    assertEquals(Acceptance.REFUSED_FENCED, log.accept(put(4, 1, 1, "x"), 4, false));
    assertEquals(Acceptance.APPENDED, log.accept(put(5, 1, 1, "x"), 5, false));
  }

  @Test
  void aDuplicateIsAcknowledgedAgainWithoutASecondAppend() {
    NilextEntry a = put(3, 1, 1, "x");
    log.accept(a, 3, false);
    log.accept(put(3, 2, 1, "y"), 3, false);
    assertEquals(Acceptance.DUPLICATE, log.accept(put(3, 1, 1, "x"), 3, false));
    assertEquals(2, log.size());
    assertEquals(a, log.snapshot().get(0));
    assertTrue(Acceptance.DUPLICATE.accepted());
    assertFalse(Acceptance.DUPLICATE.mustPersist());
  }

  @Test
  void aRetryInALaterTermRetagsInPlaceAndSurvivesThatTermsDrop() {
    log.accept(put(3, 1, 1, "x"), 3, false);
    log.accept(put(3, 2, 1, "y"), 3, false);
    assertEquals(Acceptance.RETAGGED, log.accept(put(4, 1, 1, "x"), 4, false));
    assertEquals(List.of(put(4, 1, 1, "x"), put(3, 2, 1, "y")), log.snapshot());
    assertTrue(Acceptance.RETAGGED.mustPersist());

    // The recovery of term 4 dropped both; only the copy still of term 3 goes.
    List<NilextEntry> dropped = log.drop(Set.of(id(1, 1), id(2, 1)), 4);
    assertEquals(List.of(put(3, 2, 1, "y")), dropped);
    assertEquals(List.of(put(4, 1, 1, "x")), log.snapshot());
    assertEquals(List.of(put(4, 1, 1, "x")), log.drop(Set.of(id(1, 1)), 5));
    assertTrue(log.isEmpty());
  }

  @Test
  void removeAppliedRemovesByIdentityInLogOrder() {
    for (long c = 1; c <= 4; c++) {
      log.accept(put(2, c, 7, "k" + c), 2, false);
    }
    List<NilextEntry> removed = log.removeApplied(Set.of(id(3, 7), id(1, 7), id(9, 9), id(2, 6)));
    assertEquals(List.of(put(2, 1, 7, "k1"), put(2, 3, 7, "k3")), removed);
    assertEquals(List.of(put(2, 2, 7, "k2"), put(2, 4, 7, "k4")), log.snapshot());
    assertFalse(log.contains(id(1, 7)));
    assertTrue(log.contains(id(2, 7)));
    assertNull(log.get(id(3, 7)));
    // Once removed, the same update accepted again is a new entry (the caller checks sessions).
    assertEquals(Acceptance.APPENDED, log.accept(put(2, 1, 7, "k1"), 2, false));
  }

  @Test
  void pendingKeysFollowEntriesAndCountSharedKeys() {
    log.accept(put(1, 1, 1, "x"), 1, false);
    log.accept(put(1, 2, 1, "x"), 1, false);
    NilextEntry multi =
        NilextEntry.of(
            1,
            new KvRequest(
                3,
                1,
                new KvCommand.MultiPut(
                    List.of(
                        new KeyValue(key("m1"), key("v")), new KeyValue(key("m2"), key("v"))))));
    log.accept(multi, 1, false);
    log.accept(NilextEntry.of(1, new KvRequest(4, 1, new KvCommand.Delete(key("gone")))), 1, false);
    assertEquals(Set.of(key("x"), key("m1"), key("m2"), key("gone")), log.pendingKeys());

    log.removeApplied(Set.of(id(1, 1)));
    assertTrue(log.hasPendingKey(key("x")), "the second put of x is still pending");
    log.removeApplied(Set.of(id(2, 1), id(3, 1)));
    assertFalse(log.hasPendingKey(key("x")));
    assertFalse(log.hasAnyPendingKey(List.of(key("m1"), key("m2"), key("other"))));
    assertTrue(log.hasAnyPendingKey(List.of(key("other"), key("gone"))));
    assertEquals(Set.of(key("gone")), log.pendingKeys());
  }

  @Test
  void restoreRebuildsEntriesKeysAndFence() {
    log.accept(put(6, 1, 1, "x"), 6, false);
    log.accept(put(6, 2, 1, "y"), 6, false);
    log.fence(6);
    DurabilityLog again = DurabilityLog.restore(log.snapshot(), log.fenceTerm());
    assertEquals(log.snapshot(), again.snapshot());
    assertEquals(log.pendingKeys(), again.pendingKeys());
    assertEquals(Acceptance.REFUSED_FENCED, again.accept(put(5, 3, 1, "z"), 5, false));
    assertEquals(Acceptance.DUPLICATE, again.accept(put(6, 1, 1, "x"), 6, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> DurabilityLog.restore(List.of(put(1, 1, 1, "x"), put(2, 1, 1, "x")), 0));
  }
}
