package io.raftkv.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {
  private static final Bytes K = Bytes.utf8("k");
  private static final Bytes K2 = Bytes.utf8("k2");
  private static final Bytes V1 = Bytes.utf8("v1");
  private static final Bytes V2 = Bytes.utf8("v2");

  private final KvStateMachine sm = new KvStateMachine();
  private final EntryLog log = new EntryLog();
  private long seq;

  /** Applies {@code c} as the next request of client 1 and returns the reply. */
  private KvReply run(KvCommand c) {
    Applied applied = sm.apply(log.command(1, ++seq, c));
    assertFalse(applied.duplicate());
    return applied.reply();
  }

  private static KvReply.Failure invalid(KvReply reply) {
    KvReply.Failure e = assertInstanceOf(KvReply.Failure.class, reply);
    assertEquals(KvReply.Code.INVALID_COMMAND, e.code());
    return e;
  }

  @Test
  void putThenGet() {
    assertEquals(new KvReply.Value(null), run(new KvCommand.Get(K)));
    assertEquals(new KvReply.Ack(), run(new KvCommand.Put(K, V1)));
    assertEquals(new KvReply.Value(V1), run(new KvCommand.Get(K)));
    assertEquals(new KvReply.Ack(), run(new KvCommand.Put(K, V2)));
    assertEquals(new KvReply.Value(V2), run(new KvCommand.Get(K)));
    assertEquals(Optional.of(V2), sm.value(K));
    assertEquals(1, sm.size());
  }

  @Test
  void emptyKeyAndValueAreOrdinary() {
    run(new KvCommand.Put(Bytes.EMPTY, Bytes.EMPTY));
    assertEquals(new KvReply.Value(Bytes.EMPTY), run(new KvCommand.Get(Bytes.EMPTY)));
    assertEquals(1, sm.size());
  }

  @Test
  void deleteRemovesAndIsAcknowledgedWhenAbsent() {
    run(new KvCommand.Put(K, V1));
    assertEquals(new KvReply.Ack(), run(new KvCommand.Delete(K)));
    assertEquals(new KvReply.Value(null), run(new KvCommand.Get(K)));
    assertEquals(new KvReply.Ack(), run(new KvCommand.Delete(K)));
    assertEquals(0, sm.size());
    assertEquals(Optional.empty(), sm.value(K));
  }

  @Test
  void casSwapsWhenCurrentMatches() {
    run(new KvCommand.Put(K, V1));
    assertEquals(new KvReply.CasResult(true, V2), run(new KvCommand.Cas(K, V1, V2)));
    assertEquals(Optional.of(V2), sm.value(K));
  }

  @Test
  void casFailsWhenCurrentDiffersAndReportsCurrent() {
    run(new KvCommand.Put(K, V1));
    assertEquals(
        new KvReply.CasResult(false, V1), run(new KvCommand.Cas(K, Bytes.utf8("other"), V2)));
    assertEquals(Optional.of(V1), sm.value(K));
  }

  @Test
  void casWithNullExpectedRequiresAbsence() {
    assertEquals(new KvReply.CasResult(true, V1), run(new KvCommand.Cas(K, null, V1)));
    assertEquals(Optional.of(V1), sm.value(K));
    assertEquals(new KvReply.CasResult(false, V1), run(new KvCommand.Cas(K, null, V2)));
    assertEquals(Optional.of(V1), sm.value(K));
  }

  @Test
  void casOnAbsentKeyWithExpectedValueFails() {
    assertEquals(new KvReply.CasResult(false, null), run(new KvCommand.Cas(K, V1, V2)));
    assertEquals(Optional.empty(), sm.value(K));
    assertEquals(0, sm.size());
  }

  @Test
  void casComparesContentNotIdentity() {
    run(new KvCommand.Put(K, Bytes.EMPTY));
    assertEquals(
        new KvReply.CasResult(true, V1), run(new KvCommand.Cas(K, Bytes.of(new byte[0]), V1)));
  }

  @Test
  void multiPutWritesEveryEntry() {
    run(new KvCommand.Put(K, V1));
    KvReply reply = run(new KvCommand.MultiPut(List.of(new KeyValue(K, V2), new KeyValue(K2, V1))));
    assertEquals(new KvReply.Ack(), reply);
    assertEquals(Optional.of(V2), sm.value(K));
    assertEquals(Optional.of(V1), sm.value(K2));
  }

  @Test
  void multiPutWithRepeatedKeyAppliesNothing() {
    run(new KvCommand.Put(K, V1));
    Bytes k3 = Bytes.utf8("k3");
    KvReply reply =
        run(
            new KvCommand.MultiPut(
                List.of(
                    new KeyValue(K, V2),
                    new KeyValue(K2, V2),
                    new KeyValue(K, Bytes.utf8("again")),
                    new KeyValue(k3, V2))));
    assertTrue(invalid(reply).message().contains("\"k\""), invalid(reply).message());
    assertEquals(Optional.of(V1), sm.value(K));
    assertEquals(Optional.empty(), sm.value(K2));
    assertEquals(Optional.empty(), sm.value(k3));
    assertEquals(1, sm.size());
  }

  @Test
  void emptyMultiPutIsInvalid() {
    invalid(run(new KvCommand.MultiPut(List.of())));
    assertEquals(0, sm.size());
  }

  @Test
  void multiGetAnswersInKeyOrderWithAbsentAsNull() {
    run(new KvCommand.Put(K, V1));
    run(new KvCommand.Put(K2, V2));
    KvReply reply = run(new KvCommand.MultiGet(List.of(K2, Bytes.utf8("none"), K, K2)));
    assertEquals(new KvReply.Values(Arrays.asList(V2, null, V1, V2)), reply);
    assertEquals(new KvReply.Values(List.of()), run(new KvCommand.MultiGet(List.of())));
  }

  @Test
  void readServesGetsFromCurrentStateWithoutTheLog() {
    run(new KvCommand.Put(K, V1));
    long index = sm.appliedIndex();
    int sessions = sm.sessionCount();
    assertEquals(new KvReply.Value(V1), sm.read(new KvCommand.Get(K)));
    assertEquals(
        new KvReply.Values(Arrays.asList(V1, null)),
        sm.read(new KvCommand.MultiGet(List.of(K, K2))));
    assertEquals(index, sm.appliedIndex());
    assertEquals(sessions, sm.sessionCount());
  }

  @Test
  void readRejectsUpdatesAndCas() {
    assertThrows(IllegalArgumentException.class, () -> sm.read(new KvCommand.Put(K, V1)));
    assertThrows(IllegalArgumentException.class, () -> sm.read(new KvCommand.Delete(K)));
    assertThrows(IllegalArgumentException.class, () -> sm.read(new KvCommand.Cas(K, null, V1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> sm.read(new KvCommand.MultiPut(List.of(new KeyValue(K, V1)))));
    assertEquals(0, sm.size());
  }

  @Test
  void noopAdvancesIndexAndReturnsNull() {
    assertEquals(0, sm.appliedIndex());
    assertNull(sm.apply(log.noop()));
    assertEquals(1, sm.appliedIndex());
    run(new KvCommand.Put(K, V1));
    assertNull(sm.apply(log.noop()));
    assertEquals(3, sm.appliedIndex());
    assertEquals(1, sm.size());
  }

  @Test
  void rejectsGapsAndOutOfOrderEntries() {
    assertThrows(IllegalStateException.class, () -> sm.apply(Entry.noop(1, 2)));
    assertEquals(0, sm.appliedIndex());
    run(new KvCommand.Put(K, V1));
    Entry replayed = log.noop();
    sm.apply(replayed);
    assertThrows(IllegalStateException.class, () -> sm.apply(replayed));
    Entry stale = Entry.command(1, 1, KvCodec.encode(new KvRequest(2, 1, new KvCommand.Delete(K))));
    assertThrows(IllegalStateException.class, () -> sm.apply(stale));
    assertThrows(IllegalStateException.class, () -> sm.apply(Entry.noop(1, 4)));
    assertEquals(2, sm.appliedIndex());
    assertEquals(Optional.of(V1), sm.value(K));
  }

  @Test
  void undecodableCommandIsAppliedAsInvalidWithoutStoppingTheNode() {
    Applied applied = sm.apply(log.raw(new byte[] {1, 99, 0}));
    assertNull(applied.request());
    assertFalse(applied.duplicate());
    invalid(applied.reply());
    assertEquals(1, sm.appliedIndex());
    assertEquals(0, sm.sessionCount());
    assertEquals(new KvReply.Ack(), run(new KvCommand.Put(K, V1)));
    assertEquals(Optional.of(V1), sm.value(K));
  }

  @Test
  void emptyCommandEntryIsInvalid() {
    invalid(sm.apply(log.raw(new byte[0])).reply());
    assertEquals(1, sm.appliedIndex());
  }

  @Test
  void nilextMarksOnlyAcknowledgedUpdates() {
    assertTrue(new KvCommand.Put(K, V1).nilext());
    assertTrue(new KvCommand.Delete(K).nilext());
    assertTrue(new KvCommand.MultiPut(List.of(new KeyValue(K, V1))).nilext());
    assertFalse(new KvCommand.Get(K).nilext());
    assertFalse(new KvCommand.Cas(K, null, V1).nilext());
    assertFalse(new KvCommand.MultiGet(List.of(K)).nilext());
  }

  @Test
  void keysListsTouchedKeysInOrder() {
    assertEquals(List.of(K), new KvCommand.Put(K, V1).keys());
    assertEquals(List.of(K), new KvCommand.Delete(K).keys());
    assertEquals(List.of(K), new KvCommand.Get(K).keys());
    assertEquals(List.of(K), new KvCommand.Cas(K, V1, V2).keys());
    assertEquals(
        List.of(K2, K),
        new KvCommand.MultiPut(List.of(new KeyValue(K2, V1), new KeyValue(K, V1))).keys());
    assertEquals(List.of(K2, K), new KvCommand.MultiGet(List.of(K2, K)).keys());
  }

  @Test
  void rejectsNonPositiveExpiryAndZeroSeq() {
    assertThrows(IllegalArgumentException.class, () -> new KvStateMachine(0));
    assertThrows(IllegalArgumentException.class, () -> new KvRequest(1, 0, new KvCommand.Get(K)));
  }

  @Test
  void negativeSeqIsOnlyForReads() {
    List<KvCommand> updates = SampleCommands.everyUpdate(K, V1);
    for (KvCommand update : updates) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new KvRequest(1, -1, update));
      assertTrue(e.getMessage().contains("only get and multiGet"), e.getMessage());
    }
    assertTrue(new KvRequest(1, -1, new KvCommand.Get(K)).sessionless());
    assertTrue(new KvRequest(1, -7, new KvCommand.MultiGet(List.of(K))).sessionless());
    assertFalse(new KvRequest(1, 1, new KvCommand.Get(K)).sessionless());
  }

  @Test
  void aClientWhoseFirstRequestIsASessionlessReadThenWritesFromSeqOne() {
    Applied read = sm.apply(log.command(7, -1, new KvCommand.Get(K)));
    assertEquals(new KvReply.Value(null), read.reply());
    assertEquals(0, sm.sessionCount(), "a sessionless read opens no session");

    Applied put = sm.apply(log.command(7, 1, new KvCommand.Put(K, V1)));
    assertEquals(new KvReply.Ack(), put.reply(), "the first update is seq 1, not SESSION_EXPIRED");
    Applied second = sm.apply(log.command(7, 2, new KvCommand.Put(K, V2)));
    assertEquals(new KvReply.Ack(), second.reply());
    assertEquals(List.of(new Session(7, 2, new KvReply.Ack(), 3)), sm.sessions());
    assertEquals(Optional.of(V2), sm.value(K));
  }

  @Test
  void duplicateSessionlessReadEntriesAreEachAnsweredFromTheCurrentState() {
    sm.apply(log.command(1, 1, new KvCommand.Put(K, V1)));
    List<Session> before = sm.sessions();

    Entry read = log.command(1, -1, new KvCommand.Get(K));
    Applied first = sm.apply(read);
    assertEquals(new KvReply.Value(V1), first.reply());
    assertFalse(first.duplicate());
    assertEquals(before, sm.sessions(), "the read neither used nor changed the session");

    sm.apply(log.command(2, 1, new KvCommand.Put(K, V2)));
    List<Session> afterPut = sm.sessions();
    // A retry of the same read, committed again: it reads again instead of replaying a reply.
    Applied again = sm.apply(log.command(1, -1, new KvCommand.Get(K)));
    assertEquals(new KvReply.Value(V2), again.reply());
    assertFalse(again.duplicate());
    Applied multi = sm.apply(log.command(1, -2, new KvCommand.MultiGet(List.of(K, K2))));
    assertEquals(new KvReply.Values(Arrays.asList(V2, null)), multi.reply());
    assertEquals(afterPut, sm.sessions(), "sessionless reads leave the session table alone");
  }
}
