package io.raftkv.bench;

import io.raftkv.core.Entry;
import io.raftkv.kv.Applied;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.KvStateMachine;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The key-value state machine ({@link KvStateMachine}) applying committed entries: a put and a get
 * through the log (decode, session check, execute, remember the reply), a retried put answered from
 * its session's cached reply (the session lookup alone), and a get served outside the log as lease
 * and ReadIndex reads are. Requests come round-robin from {@code sessions} live client sessions
 * over {@value #KEYS} keys holding {@code valueBytes} each, so with many sessions every lookup goes
 * to a different session.
 *
 * <p>Each applied entry is a fresh copy of a pre-encoded request stamped with its next sequence
 * number ({@link SessionRequests}); the copy (a {@code byte[]} of about {@code valueBytes + 40}) is
 * on the clock, the encoding is not.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateMachineBenchmark extends RaftkvBenchmark {
  /** Keys in the state machine, each present from the start. */
  static final int KEYS = 10_000;

  /** Live client sessions the requests come from. */
  @Param({"1", "100000"})
  public int sessions;

  @Param({"100"})
  public int valueBytes;

  private KvStateMachine stateMachine;
  private SessionRequests.Ring puts;
  private SessionRequests.Ring gets;
  private byte[][] retries;
  private KvCommand[] reads;
  private int retryCursor;
  private int readCursor;

  @Setup
  public void setUp() {
    stateMachine = new KvStateMachine();
    SessionRequests requests = new SessionRequests(sessions);
    Bytes[] keys = new Bytes[KEYS];
    for (int k = 0; k < KEYS; k++) {
      keys[k] = Bytes.utf8(String.format("key-%06d", k));
    }
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    Bytes v = Bytes.of(value);
    int ringSize = Math.max(sessions, KEYS);
    puts = requests.ring(ringSize, i -> new KvCommand.Put(keys[i % KEYS], v));
    gets = requests.ring(ringSize, i -> new KvCommand.Get(keys[(i * 7 + 3) % KEYS]));
    // One round of puts opens every session and writes every key.
    for (int i = 0; i < ringSize; i++) {
      apply(puts.next());
    }
    retries = new byte[sessions][];
    for (int s = 0; s < sessions; s++) {
      KvRequest last =
          new KvRequest(
              SessionRequests.clientId(s),
              requests.lastSeq(s),
              new KvCommand.Put(keys[s % KEYS], v));
      retries[s] = KvCodec.encode(last);
    }
    reads = new KvCommand[KEYS];
    for (int k = 0; k < KEYS; k++) {
      reads[k] = new KvCommand.Get(keys[(k * 7 + 3) % KEYS]);
    }
    if (stateMachine.sessionCount() != sessions || stateMachine.size() != KEYS) {
      throw new IllegalStateException(
          "setup expected "
              + sessions
              + " sessions and "
              + KEYS
              + " keys, got "
              + stateMachine.sessionCount()
              + " and "
              + stateMachine.size());
    }
  }

  private Applied apply(byte[] command) {
    return stateMachine.apply(Entry.command(1, stateMachine.appliedIndex() + 1, command));
  }

  @Benchmark
  public Applied applyPut() {
    return apply(puts.next());
  }

  @Benchmark
  public Applied applyGet() {
    return apply(gets.next());
  }

  /** A retry of each session's last put: answered from the session table, nothing executed. */
  @Benchmark
  public Applied applyRetriedPut() {
    int s = retryCursor;
    retryCursor = s + 1 == retries.length ? 0 : s + 1;
    return apply(retries[s]);
  }

  /** A get outside the log (lease or ReadIndex read): no session, no entry. */
  @Benchmark
  public KvReply readGet() {
    int k = readCursor;
    readCursor = k + 1 == reads.length ? 0 : k + 1;
    return stateMachine.read(reads[k]);
  }
}
