package io.raftkv.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exactly-once client sessions and their expiry (Raft thesis 6.3). */
class SessionTest {
  private static final long A = 101;
  private static final long B = 202;
  private static final Bytes K = Bytes.utf8("k");

  private final EntryLog log = new EntryLog();

  private static Bytes v(String s) {
    return Bytes.utf8(s);
  }

  private static KvReply.Code errorCode(Applied applied) {
    return assertInstanceOf(KvReply.Failure.class, applied.reply()).code();
  }

  @Test
  void retryIsAppliedOnceAndAnsweredWithTheSameReplyAfterOtherWrites() {
    KvStateMachine sm = new KvStateMachine();
    Entry casByA = log.command(A, 1, new KvCommand.Cas(K, null, v("a")));
    Applied first = sm.apply(casByA);
    assertEquals(new KvReply.CasResult(true, v("a")), first.reply());
    assertFalse(first.duplicate());

    sm.apply(log.command(B, 1, new KvCommand.Put(K, v("b"))));

    // The retry is a new log entry with the same bytes; re-applying it would fail the cas.
    Applied retry = sm.apply(log.raw(casByA.data()));
    assertTrue(retry.duplicate());
    assertEquals(first.reply(), retry.reply());
    assertEquals(first.request(), retry.request());
    assertEquals(Optional.of(v("b")), sm.value(K));
  }

  @Test
  void retriedGetReturnsTheValueItFirstSaw() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(log.command(B, 1, new KvCommand.Put(K, v("old"))));
    Applied first = sm.apply(log.command(A, 1, new KvCommand.Get(K)));
    sm.apply(log.command(B, 2, new KvCommand.Put(K, v("new"))));
    Applied retry = sm.apply(log.command(A, 1, new KvCommand.Get(K)));
    assertTrue(retry.duplicate());
    assertEquals(new KvReply.Value(v("old")), retry.reply());
    assertEquals(first.reply(), retry.reply());
  }

  @Test
  void retriedPutDoesNotOverwriteALaterWrite() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("a"))));
    sm.apply(log.command(B, 1, new KvCommand.Put(K, v("b"))));
    Applied retry = sm.apply(log.command(A, 1, new KvCommand.Put(K, v("a"))));
    assertTrue(retry.duplicate());
    assertEquals(new KvReply.Ack(), retry.reply());
    assertEquals(Optional.of(v("b")), sm.value(K));
  }

  @Test
  void invalidCommandReplyIsRememberedLikeAnyOther() {
    KvStateMachine sm = new KvStateMachine();
    Applied first = sm.apply(log.command(A, 1, new KvCommand.MultiPut(List.of())));
    assertEquals(KvReply.Code.INVALID_COMMAND, errorCode(first));
    Applied retry = sm.apply(log.command(A, 1, new KvCommand.MultiPut(List.of())));
    assertTrue(retry.duplicate());
    assertEquals(first.reply(), retry.reply());
  }

  @Test
  void staleSequenceIsRejectedAndNotApplied() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("1"))));
    sm.apply(log.command(A, 2, new KvCommand.Put(K, v("2"))));
    Applied stale = sm.apply(log.command(A, 1, new KvCommand.Put(K, v("1"))));
    assertEquals(KvReply.Code.STALE_SEQUENCE, errorCode(stale));
    assertFalse(stale.duplicate());
    assertEquals(Optional.of(v("2")), sm.value(K));

    Applied retry = sm.apply(log.command(A, 2, new KvCommand.Put(K, v("2"))));
    assertTrue(retry.duplicate(), "the stale request did not replace the session's last reply");
  }

  @Test
  void higherSequenceIsAppliedEvenWithAGap() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("1"))));
    Applied jump = sm.apply(log.command(A, 5, new KvCommand.Put(K, v("5"))));
    assertEquals(new KvReply.Ack(), jump.reply());
    assertFalse(jump.duplicate());
    assertEquals(Optional.of(v("5")), sm.value(K));
    assertEquals(
        KvReply.Code.STALE_SEQUENCE,
        errorCode(sm.apply(log.command(A, 4, new KvCommand.Put(K, v("4"))))));
  }

  @Test
  void unknownClientPastItsFirstRequestIsToldItsSessionExpired() {
    KvStateMachine sm = new KvStateMachine();
    Applied applied = sm.apply(log.command(A, 2, new KvCommand.Put(K, v("x"))));
    assertEquals(KvReply.Code.SESSION_EXPIRED, errorCode(applied));
    assertNotNull(applied.request());
    assertEquals(Optional.empty(), sm.value(K));
    assertEquals(0, sm.sessionCount());
  }

  @Test
  void sessionSurvivesExactlyExpiryEntriesWithoutUse() {
    KvStateMachine sm = new KvStateMachine(3);
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("1")))); // index 1
    sm.apply(log.noop());
    sm.apply(log.noop()); // indexes 2..3
    Applied atLimit = sm.apply(log.command(A, 2, new KvCommand.Put(K, v("2")))); // index 4
    assertEquals(new KvReply.Ack(), atLimit.reply());
    assertEquals(Optional.of(v("2")), sm.value(K));
  }

  @Test
  void sessionExpiresAfterExpiryEntriesAndClientMustStartOver() {
    KvStateMachine sm = new KvStateMachine(3);
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("1")))); // index 1
    for (int i = 0; i < 3; i++) {
      sm.apply(log.noop()); // indexes 2..4: three entries without A
    }
    assertEquals(1, sm.sessionCount(), "expiry happens when the next entry is applied");

    Applied late = sm.apply(log.command(A, 2, new KvCommand.Put(K, v("2")))); // index 5
    assertEquals(0, sm.sessionCount());
    assertEquals(KvReply.Code.SESSION_EXPIRED, errorCode(late));
    assertEquals(Optional.of(v("1")), sm.value(K));

    long fresh = A + 1;
    Applied restart = sm.apply(log.command(fresh, 1, new KvCommand.Put(K, v("2"))));
    assertEquals(new KvReply.Ack(), restart.reply());
    assertEquals(Optional.of(v("2")), sm.value(K));
    assertEquals(1, sm.sessionCount());
  }

  @Test
  void expiryCountsFromLastUseIncludingDuplicates() {
    KvStateMachine sm = new KvStateMachine(2);
    sm.apply(log.command(A, 1, new KvCommand.Put(K, v("a")))); // 1
    sm.apply(log.command(B, 1, new KvCommand.Put(K, v("b")))); // 2
    assertTrue(sm.apply(log.command(A, 1, new KvCommand.Put(K, v("a")))).duplicate()); // 3
    sm.apply(log.noop()); // 4
    sm.apply(log.noop()); // 5: B last used at 2 expires, A used at 3 stays
    assertEquals(List.of(A), sm.sessions().stream().map(Session::clientId).toList());
    assertEquals(3, sm.sessions().get(0).lastUsedIndex());
    sm.apply(log.noop()); // 6: A expires
    assertEquals(0, sm.sessionCount());
  }

  @Test
  void sessionsAreListedInOrderOfLastUse() {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(log.command(A, 1, new KvCommand.Get(K)));
    sm.apply(log.command(B, 1, new KvCommand.Get(K)));
    sm.apply(log.command(A, 2, new KvCommand.Get(K)));
    List<Session> sessions = sm.sessions();
    assertEquals(List.of(B, A), sessions.stream().map(Session::clientId).toList());
    assertEquals(new Session(A, 2, new KvReply.Value(null), 3), sessions.get(1));
  }

  @Test
  void replicasFedTheSameEntriesAgreeAndNeverApplyARequestTwice() {
    List<Entry> entries = randomWorkload(new Random(42), 5_000);
    KvStateMachine first = new KvStateMachine(50);
    KvStateMachine second = new KvStateMachine(50);
    List<Applied> firstReplies = new ArrayList<>();
    List<Applied> secondReplies = new ArrayList<>();
    Set<List<Long>> applied = new HashSet<>();
    Map<KvReply.Code, Integer> errors = new HashMap<>();
    int duplicates = 0;
    for (Entry e : entries) {
      Applied a = first.apply(e);
      firstReplies.add(a);
      secondReplies.add(second.apply(e));
      if (a == null || a.request() == null) {
        continue;
      }
      if (a.duplicate()) {
        duplicates++;
      } else if (a.reply() instanceof KvReply.Failure err) {
        errors.merge(err.code(), 1, Integer::sum);
      }
      // A retry of seq 1 after its session expired opens a new session and applies again; the
      // thesis accepts that, so exactly-once is checked for later requests only.
      if (!a.duplicate() && !(a.reply() instanceof KvReply.Failure) && a.request().seq() > 1) {
        List<Long> id = List.of(a.request().clientId(), a.request().seq());
        assertTrue(applied.add(id), "applied twice: " + id);
      }
    }
    assertEquals(firstReplies, secondReplies);
    assertEquals(first.contents(), second.contents());
    assertEquals(first.sessions(), second.sessions());
    assertEquals(first.appliedIndex(), second.appliedIndex());
    // The workload must exercise every path for the comparison to mean something.
    assertTrue(duplicates > 100, "duplicates " + duplicates);
    assertTrue(errors.getOrDefault(KvReply.Code.STALE_SEQUENCE, 0) > 10, errors.toString());
    assertTrue(errors.getOrDefault(KvReply.Code.SESSION_EXPIRED, 0) > 10, errors.toString());
    assertTrue(first.size() > 0);
  }

  /**
   * Clients that retry, resend old requests and go quiet long enough to expire, mixed with no-ops
   * and garbage, over a small key space.
   */
  private List<Entry> randomWorkload(Random random, int count) {
    long[] nextSeq = new long[20];
    Arrays.fill(nextSeq, 1);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int dice = random.nextInt(100);
      if (dice < 5) {
        entries.add(log.noop());
        continue;
      }
      if (dice < 7) {
        byte[] garbage = new byte[random.nextInt(12)];
        random.nextBytes(garbage);
        entries.add(log.raw(garbage));
        continue;
      }
      // Skewed: low clients are busy, high clients rarely seen (and so expire).
      int client = (int) Math.min(19, Math.abs(random.nextGaussian()) * 6);
      long seq;
      if (dice < 25 && nextSeq[client] > 1) {
        seq = nextSeq[client] - 1; // retry of the last request
      } else if (dice < 30 && nextSeq[client] > 2) {
        seq = 1L + random.nextInt((int) nextSeq[client] - 2); // an old duplicate
      } else {
        seq = nextSeq[client]++;
      }
      entries.add(log.command(client, seq, randomCommand(random)));
    }
    return entries;
  }

  private static KvCommand randomCommand(Random random) {
    Bytes key = v("k" + random.nextInt(8));
    Bytes value = v("v" + random.nextInt(4));
    return switch (random.nextInt(6)) {
      case 0 -> new KvCommand.Put(key, value);
      case 1 -> new KvCommand.Delete(key);
      case 2 -> new KvCommand.Get(key);
      case 3 ->
          new KvCommand.Cas(key, random.nextBoolean() ? null : v("v" + random.nextInt(4)), value);
      case 4 ->
          new KvCommand.MultiPut(
              List.of(new KeyValue(key, value), new KeyValue(v("k" + random.nextInt(8)), value)));
      default -> new KvCommand.MultiGet(List.of(key, v("k" + random.nextInt(8))));
    };
  }
}
