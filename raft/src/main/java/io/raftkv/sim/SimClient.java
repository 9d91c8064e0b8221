package io.raftkv.sim;

import io.raftkv.fastpath.FastPathAck;
import io.raftkv.fastpath.FastPathAcks;
import io.raftkv.fastpath.Supermajority;
import io.raftkv.history.OpType;
import io.raftkv.history.Operation;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A simulated closed-loop client: one operation outstanding at a time, sent to the node it believes
 * leads, retried with the same (clientId, seq) on a timeout or a "not leader" answer, and given up
 * after a bounded number of attempts, in which case its outcome is recorded as unknown. Every
 * operation is recorded in the history for the linearizability check. Like {@code RaftClient}, it
 * numbers updates 1, 2, 3, ... and reads -1, -2, -3, ... (sessionless reads, see {@link
 * KvRequest}). A read-only client issues nothing but gets; the others mix puts, gets, cas and
 * deletes.
 *
 * <p>With the fast path on it behaves like {@code RaftClient} and {@code FastPathCall}: a put or
 * delete goes to every node at once, tagged with the believed term (the highest term any answer has
 * reported; 0 at first, which every node refuses, but the answers teach the term), and completes
 * when {@link FastPathAcks} says so. On {@link FastPathAcks.Decision#FALL_BACK}, or when the
 * missing answers have not come within the fast-path timeout, the <em>same</em> request (same
 * clientId and seq) goes on the ordered path to the leader, with its redirects and retries. A
 * "busy" answer (a leader recovering the durability logs) is retried at the same node shortly
 * after. After giving up on an operation it continues under a new session (clientId), see {@link
 * #retryOrGiveUp}.
 */
final class SimClient {
  private final int index;
  private final int endpoint;
  private final EventQueue events;
  private final SimNetwork network;
  private final SplittableRandom random;
  private final List<Integer> nodes;
  private final History history;
  private final LongSupplier newClientId;
  private final int keys;
  private final long timeoutMicros;
  private final long giveUpMicros;
  private final boolean readOnly;
  private final boolean fastPath;
  private final long fastPathTimeoutMicros;

  /**
   * Once the leader and a majority accepted, how long the attempt waits for the rest of a
   * supermajority ({@code ClientOptions#fastPathStragglerTimeout()}, off by default in the real
   * client): a tenth of {@link #fastPathTimeoutMicros}. Always on here, so the suite checks that an
   * attempt may fall back while its last answers are still on the way and that the option is safe.
   */
  private final long stragglerTimeoutMicros;

  private boolean stragglerTimerStarted;
  private final FastPathFault fault;

  private long believedTerm;
  private FastPathAcks acks;

  /** Nodes that accepted the current attempt in its term ({@link FastPathFault} only). */
  private final Set<Integer> acceptedBy = new HashSet<>();

  private boolean leaderAccepted;
  private long fastPathCompleted;
  private long fallBacks;

  private long clientId;
  private long seq;
  private long readSeq;
  private long requestSeq;
  private long operationCount;
  private int target;
  private KvCommand command;
  private long callStamp;
  private long callMicros;
  private long token;
  private boolean outstanding;
  private long stopIssuingAt;

  SimClient(
      int index,
      int endpoint,
      EventQueue events,
      SimNetwork network,
      SplittableRandom random,
      List<Integer> nodes,
      History history,
      LongSupplier newClientId,
      int keys,
      long timeoutMicros,
      long giveUpMicros,
      boolean readOnly,
      boolean fastPath,
      long fastPathTimeoutMicros,
      FastPathFault fault) {
    this.index = index;
    this.endpoint = endpoint;
    this.events = events;
    this.network = network;
    this.random = random;
    this.nodes = nodes;
    this.history = history;
    this.newClientId = newClientId;
    this.keys = keys;
    this.timeoutMicros = timeoutMicros;
    this.giveUpMicros = giveUpMicros;
    this.readOnly = readOnly;
    this.fastPath = fastPath;
    this.fastPathTimeoutMicros = fastPathTimeoutMicros;
    this.stragglerTimeoutMicros = Math.max(1, fastPathTimeoutMicros / 10);
    this.fault = fault;
    this.clientId = newClientId.getAsLong();
    this.target = nodes.get(random.nextInt(nodes.size()));
    network.register(endpoint, this::onReceive);
  }

  /** Issues operations back to back until {@code stopAt} (virtual microseconds). */
  void start(long stopAt) {
    this.stopIssuingAt = stopAt;
    events.after(random.nextLong(1_000) + 1, this::startNext);
  }

  boolean outstanding() {
    return outstanding;
  }

  private void startNext() {
    if (events.now() >= stopIssuingAt) {
      return;
    }
    operationCount++;
    command = nextCommand();
    requestSeq = KvRequest.isRead(command) ? --readSeq : ++seq;
    callMicros = events.now();
    outstanding = true;
    callStamp = history.stamp();
    if (fastPath && command.nilext()) {
      sendFastPath();
    } else {
      send();
    }
  }

  /** Sends the current update to every node on the fast path, tagged with the believed term. */
  private void sendFastPath() {
    long t = ++token;
    acks = new FastPathAcks(Set.copyOf(nodes), believedTerm);
    acceptedBy.clear();
    leaderAccepted = false;
    stragglerTimerStarted = false;
    KvRequest request = new KvRequest(clientId, requestSeq, command);
    for (int node : nodes) {
      network.send(
          endpoint, node, new ClientMessages.NilextRequest(endpoint, believedTerm, request));
    }
    events.after(fastPathTimeoutMicros, () -> onFastPathTimeout(t));
  }

  private void onFastPathTimeout(long t) {
    if (t == token && outstanding && acks != null) {
      fallBack();
    }
  }

  /** The same request, same seq, on the ordered path. */
  private void fallBack() {
    fallBacks++;
    acks = null;
    token++;
    send();
  }

  private void onNilextAck(ClientMessages.NilextAck a) {
    believedTerm = Math.max(believedTerm, a.term());
    if (!outstanding
        || acks == null
        || a.clientId() != clientId
        || a.seq() != requestSeq
        || !nodes.contains(a.nodeId())) {
      return;
    }
    if (a.leader()) {
      target = a.nodeId();
    }
    FastPathAcks.Decision d =
        acks.add(new FastPathAck(a.nodeId(), a.term(), a.leader(), a.accepted()));
    if (fault == FastPathFault.COMPLETE_ON_MAJORITY && a.accepted() && a.term() == acks.term()) {
      acceptedBy.add(a.nodeId());
      leaderAccepted |= a.leader();
      if (leaderAccepted && acceptedBy.size() >= new Supermajority(nodes.size()).majority()) {
        d = FastPathAcks.Decision.COMPLETE;
      }
    }
    if (d == FastPathAcks.Decision.COMPLETE) {
      fastPathCompleted++;
      acks = null;
      onReply(new KvReply.Ack());
    } else if (d == FastPathAcks.Decision.FALL_BACK) {
      fallBack();
    } else if (acks.onlyStragglersMissing() && !stragglerTimerStarted) {
      stragglerTimerStarted = true;
      long t = token;
      events.after(stragglerTimeoutMicros, () -> onFastPathTimeout(t));
    }
  }

  private KvCommand nextCommand() {
    Bytes key = Bytes.utf8("k" + random.nextInt(keys));
    int roll = readOnly ? 50 : random.nextInt(100);
    Bytes value = Bytes.utf8("c" + index + "-" + operationCount);
    if (roll < 40) {
      return new KvCommand.Put(key, value);
    }
    if (roll < 75) {
      return new KvCommand.Get(key);
    }
    if (roll < 93) {
      return new KvCommand.Cas(key, history.lastValueSeen(key.toUtf8()), value);
    }
    return new KvCommand.Delete(key);
  }

  private void send() {
    long t = ++token;
    network.send(
        endpoint,
        target,
        new ClientMessages.Request(endpoint, new KvRequest(clientId, requestSeq, command)));
    events.after(timeoutMicros, () -> onTimeout(t));
  }

  private void onTimeout(long t) {
    if (t != token || !outstanding) {
      return;
    }
    target = nextNode(target);
    retryOrGiveUp();
  }

  private void retryOrGiveUp() {
    if (events.now() - callMicros >= giveUpMicros) {
      outstanding = false;
      history.add(unknown());
      if (fastPath) {
        // An update given up on may never be applied, and then its session never opens (seq 1)
        // or stops short of the next seq: the state machine would refuse the next update as
        // SESSION_EXPIRED when the leader orders it from the durability logs, after the fast path
        // had already told the client it completed. A fresh session keeps that from happening.
        clientId = newClientId.getAsLong();
        seq = 0;
        readSeq = 0;
      }
      events.after(1_000, this::startNext);
      return;
    }
    send();
  }

  private int nextNode(int node) {
    int i = nodes.indexOf(node);
    return nodes.get((i + 1) % nodes.size());
  }

  private void onReceive(Object payload) {
    if (payload instanceof ClientMessages.NilextAck a) {
      onNilextAck(a);
    } else if (payload instanceof ClientMessages.Busy b) {
      if (!outstanding || acks != null || b.clientId() != clientId || b.seq() != requestSeq) {
        return;
      }
      // The leader is recovering the durability logs: the same node again, shortly.
      long t = ++token;
      events.after(
          1_000,
          () -> {
            if (t == token && outstanding) {
              retryOrGiveUp();
            }
          });
    } else if (payload instanceof ClientMessages.NotLeader nl) {
      if (!outstanding || acks != null || nl.clientId() != clientId || nl.seq() != requestSeq) {
        return;
      }
      token++;
      target = nl.leaderHint() != 0 ? nl.leaderHint() : nextNode(target);
      long t = token;
      events.after(
          nl.leaderHint() != 0 ? 100 : 5_000,
          () -> {
            if (t == token && outstanding) {
              retryOrGiveUp();
            }
          });
    } else if (payload instanceof ClientMessages.Reply r) {
      if (!outstanding || acks != null || r.clientId() != clientId || r.seq() != requestSeq) {
        return;
      }
      onReply(r.reply());
    }
  }

  private void onReply(KvReply reply) {
    if (reply instanceof KvReply.Failure err) {
      if (err.code() == KvReply.Code.SESSION_EXPIRED) {
        // Not applied: safe to send the same command again under a fresh session.
        clientId = newClientId.getAsLong();
        seq = 1;
        readSeq = 0;
        requestSeq = 1;
        token++;
        send();
        return;
      }
      throw new IllegalStateException("client " + index + " got an unexpected error: " + err);
    }
    token++;
    outstanding = false;
    history.add(completed(reply));
    events.after(random.nextLong(500) + 1, this::startNext);
  }

  /** The current command as a completed operation with {@code reply}. */
  private Operation completed(KvReply reply) {
    long ret = history.stamp();
    String key = command.keys().get(0).toUtf8();
    if (command instanceof KvCommand.Get) {
      Bytes v = ((KvReply.Value) reply).value();
      history.saw(key, v);
      return operation(v == null ? null : v.toUtf8(), ret, true, false);
    }
    if (command instanceof KvCommand.Cas) {
      KvReply.CasResult r = (KvReply.CasResult) reply;
      history.saw(key, r.current());
      return operation(written(), ret, r.swapped(), false);
    }
    return operation(written(), ret, true, false);
  }

  /** The current command as an operation whose outcome the client never learned. */
  private Operation unknown() {
    return operation(command instanceof KvCommand.Get ? null : written(), 0, false, true);
  }

  /** The value the current command writes, or null (get, delete). */
  private String written() {
    if (command instanceof KvCommand.Put p) {
      return p.value().toUtf8();
    }
    if (command instanceof KvCommand.Cas c) {
      return c.value().toUtf8();
    }
    return null;
  }

  private Operation operation(String value, long returnStamp, boolean ok, boolean unknown) {
    OpType type;
    String expected = null;
    if (command instanceof KvCommand.Put) {
      type = OpType.PUT;
    } else if (command instanceof KvCommand.Delete) {
      type = OpType.DELETE;
    } else if (command instanceof KvCommand.Get) {
      type = OpType.GET;
    } else {
      type = OpType.CAS;
      Bytes e = ((KvCommand.Cas) command).expected();
      expected = e == null ? null : e.toUtf8();
    }
    String key = command.keys().get(0).toUtf8();
    return new Operation(index, type, key, value, expected, callStamp, returnStamp, ok, unknown);
  }

  /** Updates completed on the fast path. */
  long fastPathCompleted() {
    return fastPathCompleted;
  }

  /** Fast-path attempts that fell back to the ordered path. */
  long fallBacks() {
    return fallBacks;
  }

  /** Records an operation still outstanding when the simulation ends. */
  void abandon() {
    if (outstanding) {
      outstanding = false;
      acks = null;
      token++;
      history.add(unknown());
    }
  }
}
