package io.raftkv.server;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftNode;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.Role;
import io.raftkv.fastpath.DurabilityLog;
import io.raftkv.fastpath.FastPathReplica;
import io.raftkv.fastpath.NilextEntry;
import io.raftkv.fastpath.NilextId;
import io.raftkv.fastpath.OrderedUpdates;
import io.raftkv.kv.Applied;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.storage.DurabilityLogStore;
import io.raftkv.storage.LogStore;
import io.raftkv.storage.StoredDurabilityLog;
import io.raftkv.transport.ClientConnection;
import io.raftkv.transport.Inbound;
import io.raftkv.transport.InboundSink;
import io.raftkv.transport.Transport;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop that drives one node: the only thread that touches its {@link RaftNode}, its {@link
 * LogStore}, its durability-log store and its {@link KvStateMachine}, so none of them needs a lock
 * (the MicroRaft executor contract).
 *
 * <p>Each iteration: wait for inbound work at most until the next tick; drain the inbound queue
 * (peer messages are stepped, client requests proposed, queries answered); tick once if {@code
 * tickMillis} of monotonic time have passed; handle every Ready in turn (persist, then send, then
 * apply and answer waiting clients, then advance: the {@link Ready} contract); flush the transport
 * once.
 *
 * <p>Vanilla: every client request is proposed as its own entry, and its Ready is handled before
 * the next request is proposed, so each entry is persisted (fsynced, in FSYNC mode) on its own;
 * reads are log entries too. The flags of {@link RaftConfig} change this loop in three places:
 *
 * <ul>
 *   <li>{@code batching}: every request drained in one iteration is proposed in one call, so the
 *       whole batch is one Ready, one write and one fsync (group commit);
 *   <li>{@code leaseReads}: a get or multiGet is not logged; it asks the core for a read point
 *       ({@link RaftNode#readIndex}: at once under a valid lease, after a heartbeat round
 *       otherwise) and is answered from the state machine once it has applied that point;
 *   <li>{@code parallelLeaderWrite}: a Ready's early messages (the leader's AppendEntries) are sent
 *       and flushed before its entries are written, so followers write while the leader does;
 *   <li>{@code nilextFastPath}: fast-path updates from clients go to a {@link FastPathReplica}; the
 *       ones accepted in an iteration are appended to the durability-log store with one fsync,
 *       before the Ready's Raft-log write, and acknowledged once both are done (see {@link
 *       #writeDurabilityLog}); the leader proposes what the replica orders before any client
 *       request of the same iteration, holds reads of pending keys until their updates are applied,
 *       and answers "busy" while its recovery of the durability logs runs.
 * </ul>
 *
 * <p>Threading contract: {@link #inbox()} is called from transport threads (it is thread-safe and
 * never blocks); {@link #start}, {@link #close} and {@link #awaitStopped} by the owner; {@link
 * #status()} from any thread (it reads a published snapshot). Everything else runs on the loop
 * thread.
 */
public final class NodeLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodeLoop.class.getName());
  private static final int MAX_DRAIN = 4096;

  private final ServerConfig config;
  private final RaftConfig raftConfig;
  private final LogStore store;
  private final DurabilityLogStore durabilityStore;
  private final FastPathReplica fastPath;
  private final RaftNode raft;
  private final KvStateMachine kv = new KvStateMachine();
  private final LinkedBlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingClientRequests = new AtomicInteger();
  private final InboundSink inbox = this::offer;

  /**
   * The client waiting for its request to apply, by clientId. A client has at most one request
   * outstanding (see {@code KvRequest}), so a newer request replaces an older one and the map holds
   * at most one waiter per client. Loop thread only.
   */
  private final Map<Long, Waiting> waiting = new HashMap<>();

  private Transport transport;
  private Thread thread;
  private volatile boolean running;
  private volatile NodeStatus status;
  private volatile Throwable failure;

  private Role lastRole;
  private int lastLeader = -1;

  /** Requests drained in this iteration, to be proposed together ({@code batching}). */
  private final List<Inbound.ClientRequest> proposals = new ArrayList<>();

  /** Reads waiting for the core's read point, by read id ({@code leaseReads}). */
  private final Map<Long, PendingRead> pendingReads = new HashMap<>();

  /** Read points handed out by the core, in index order, waiting for the state machine. */
  private final ArrayDeque<ReadState> readPoints = new ArrayDeque<>();

  /** Fast-path acknowledgments waiting for the durability-log write of this iteration. */
  private final List<PendingAck> pendingAcks = new ArrayList<>();

  /** Reads of keys with pending fast-path updates, waiting until those are applied. */
  private final ArrayDeque<DeferredRead> deferredReads = new ArrayDeque<>();

  private long fastPathAccepted;

  /**
   * The durability store's fsync count (its compactions' included), read on this thread once its
   * writes of the iteration are done.
   */
  private long durabilitySyncs;

  private final String flags;

  /**
   * Fast path: the log index up to which this leader must have applied before it answers a read:
   * the last update its recovery proposed (Skyros recovery, see {@link
   * FastPathReplica#takeRecoveryFinished()}).
   */
  private long readBarrier;

  private long tickNanos;

  private long nextTick;
  private long nextReadId;
  private long leaseReadsServed;
  private long readIndexReadsServed;

  private record Waiting(long seq, ClientConnection connection, long requestId) {}

  /** An answer to a fast-path update, with the term, role and leader of its acceptance. */
  private record PendingAck(ClientConnection connection, Frame.NilextAck ack) {}

  private record DeferredRead(long untilApplied, Inbound.ClientRequest request) {}

  private record PendingRead(
      ClientConnection connection, long requestId, KvCommand command, boolean underLease) {}

  /**
   * A node rebuilt from what {@code store} holds (Raft Figure 2: term, vote and log survive a
   * restart); the state machine starts empty and re-applies entries as their commit becomes known.
   */
  public NodeLoop(ServerConfig config, RaftConfig raftConfig, LogStore store) {
    this(config, raftConfig, store, null);
  }

  /**
   * A node as above; with {@code nilextFastPath}, {@code durabilityStore} holds its durability log
   * (restored from it here).
   */
  public NodeLoop(
      ServerConfig config,
      RaftConfig raftConfig,
      LogStore store,
      DurabilityLogStore durabilityStore) {
    if (raftConfig.nilextFastPath() && durabilityStore == null) {
      throw new IllegalArgumentException("nilextFastPath needs a durability-log store");
    }
    this.config = config;
    this.raftConfig = raftConfig;
    this.store = store;
    this.durabilityStore = raftConfig.nilextFastPath() ? durabilityStore : null;
    this.flags = raftConfig.flagsDescription();
    if (this.durabilityStore != null) {
      StoredDurabilityLog stored = durabilityStore.load();
      this.fastPath =
          new FastPathReplica(
              config.id(),
              List.copyOf(config.members().keySet()),
              DurabilityLog.restore(stored.entries(), stored.fence()),
              raftConfig.orderBatchSize(),
              raftConfig.orderDelayTicks(),
              2 * raftConfig.heartbeatTicks());
    } else {
      this.fastPath = null;
    }
    this.raft =
        new RaftNode(
            raftConfig,
            config.id(),
            List.copyOf(config.members().keySet()),
            store.hardState(),
            store.entries(),
            new SplittableRandom());
    publishStatus();
  }

  /** Where the transport hands over inbound work; thread-safe, never blocks. */
  public InboundSink inbox() {
    return inbox;
  }

  /** Starts the loop thread, sending through {@code transport}. Called once. */
  public synchronized void start(Transport transport) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    this.transport = transport;
    running = true;
    thread = new Thread(this::run, "raftkv-node-" + config.id());
    thread.start();
  }

  /** The latest published status; safe from any thread. */
  public NodeStatus status() {
    return status;
  }

  /** The error that stopped the loop (a failed disk write), or null. */
  public Throwable failure() {
    return failure;
  }

  /** Waits until the loop thread has ended; returns whether it did within {@code timeout}. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      return true;
    }
    t.join(Math.max(1, timeout.toMillis()));
    return !t.isAlive();
  }

  /** Stops the loop and waits for it, at most a few seconds. Does not close the store. */
  @Override
  public void close() {
    running = false;
    try {
      if (!awaitStopped(Duration.ofSeconds(5))) {
        LOG.log(Level.WARNING, "node {0}: loop did not stop within 5 s", config.id());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean offer(Inbound in) {
    int requests = in.clientRequests();
    if (requests > 0) {
      if (pendingClientRequests.addAndGet(requests) > config.maxPendingClientRequests()) {
        pendingClientRequests.addAndGet(-requests);
        return false;
      }
    }
    inbound.add(in);
    return true;
  }

  private void run() {
    tickNanos = TimeUnit.MILLISECONDS.toNanos(raftConfig.tickMillis());
    nextTick = System.nanoTime() + tickNanos;
    List<Inbound> batch = new ArrayList<>();
    try {
      while (running) {
        long wait = nextTick - System.nanoTime();
        // Never interrupted: an interrupt during a FileChannel force would close the log file.
        Inbound first = wait > 0 ? inbound.poll(wait, TimeUnit.NANOSECONDS) : inbound.poll();
        if (first != null) {
          batch.add(first);
          inbound.drainTo(batch, MAX_DRAIN - 1);
          for (Inbound in : batch) {
            handle(in);
            if (maybeTick()) {
              // A long iteration (vanilla fsyncs each request on its own) still sends its
              // heartbeats on time, so followers do not start elections against a live leader.
              handleReadies();
              transport.flush();
            }
          }
          batch.clear();
          proposeBatch();
        }
        maybeTick();
        fastPathBeforeReadies();
        writeDurabilityLog();
        handleReadies();
        fastPathAfterReadies();
        noticeRoleChange();
        transport.flush();
        publishStatus();
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
      LOG.log(Level.ERROR, "node " + config.id() + ": stopping after a fatal error", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running = false;
      publishStatus();
    }
  }

  /** Ticks the core if a tick of monotonic time has passed; returns whether it did. */
  private boolean maybeTick() {
    long now = System.nanoTime();
    if (now - nextTick < 0) {
      return false;
    }
    raft.tick();
    if (fastPath != null) {
      fastPath.tick();
    }
    nextTick += tickNanos;
    if (now - nextTick >= 0) {
      // The loop fell behind (a long fsync, a GC): skip the lost ticks rather than burst.
      nextTick = now + tickNanos;
    }
    return true;
  }

  private void handle(Inbound in) throws IOException {
    // Leaves the count that offer() raised, whatever kind of input this is.
    pendingClientRequests.addAndGet(-in.clientRequests());
    if (in instanceof Inbound.PeerMessage p) {
      if (fastPath != null && isDurabilityLogMessage(p.message())) {
        fastPath.onMessage(p.message(), raft.term(), OrderedUpdates.of(raft, kv));
      } else {
        raft.step(p.message());
      }
    } else if (in instanceof Inbound.ClientRequest r) {
      onClientRequest(r);
    } else if (in instanceof Inbound.NilextRequest r) {
      onNilext(r);
    } else if (in instanceof Inbound.NilextBatch b) {
      for (Inbound.NilextRequest r : b.requests()) {
        onNilext(r);
      }
    } else if (in instanceof Inbound.ClientQuery q) {
      onQuery(q);
    }
  }

  private static boolean isDurabilityLogMessage(Message m) {
    return m instanceof Message.DurabilityLogRequest
        || m instanceof Message.DurabilityLogResponse
        || m instanceof Message.DurabilityLogPrune;
  }

  /** A fast-path update: into the durability log now, acknowledged after this iteration's write. */
  private void onNilext(Inbound.NilextRequest r) {
    boolean accepted = false;
    if (fastPath != null && r.request().command().nilext() && r.term() > 0) {
      // The payload is the request's bytes as received (the transport decoded it from them).
      NilextEntry entry = NilextEntry.ofReceived(r.term(), r.request(), r.payload());
      boolean applied = kv.lastSeq(r.request().clientId()) >= r.request().seq();
      accepted = fastPath.onNilext(entry, raft.term(), raft.role(), applied).accepted();
    }
    if (accepted) {
      fastPathAccepted++;
    }
    // Term, role and leader as of the acceptance: the entry is tagged with this term, and a later
    // input of this iteration (a vote request of a higher term) must not re-label the answer.
    pendingAcks.add(
        new PendingAck(
            r.from(),
            new Frame.NilextAck(
                r.requestId(),
                config.id(),
                raft.term(),
                raft.role() == Role.LEADER,
                accepted,
                raft.leaderId())));
  }

  /**
   * Lets the fast-path replica see this iteration's role and term, and proposes what it ordered.
   */
  private void fastPathBeforeReadies() {
    if (fastPath != null) {
      fastPath.afterInput(raft.term(), raft.role(), OrderedUpdates.of(raft, kv));
      proposeOrdered();
    }
  }

  /**
   * Writes what the fast-path replica accepted in this iteration (one write and one fsync for the
   * batch) and its fence, on this thread, before the Ready's Raft-log write. The acknowledgments
   * wait until the Ready is persisted too ({@link #fastPathAfterReadies}) and leave with the
   * iteration's other frames in its one flush.
   *
   * <p>Two other designs were measured and dropped (README, "Results"): a writer thread of its own
   * that overlapped the two fsyncs and sent the acknowledgments of a durable term right after the
   * first (until {@code 4ef784c}), and sending those acknowledgments from this thread, flushed,
   * before the Raft-log write ({@code d6171ea}). None of the three measured clearly better than the
   * others at 64 clients in fsync mode (medians of 0.81 to 0.92 of optimized's puts over three to
   * nine pairs each, single pairs 0.65 to 1.27), and with 1 ms links a put took the same 0.54 of
   * optimized's time with 5 nodes with early or late acknowledgments; this one has no hand-off to
   * another thread and one flush per iteration.
   */
  private void writeDurabilityLog() throws IOException {
    if (fastPath == null) {
      return;
    }
    List<NilextEntry> batch = fastPath.takeToPersist();
    if (!batch.isEmpty()) {
      durabilityStore.append(batch);
    }
    long fence = fastPath.takeFence();
    if (fence > 0) {
      durabilityStore.fence(fence);
    }
  }

  /**
   * After the Raft state of this iteration is durable: write the removals (not forced), then send
   * the acknowledgments of the updates accepted in this iteration and the replica's messages (they
   * promise what was just persisted).
   */
  private void fastPathAfterReadies() throws IOException {
    if (fastPath == null) {
      if (!pendingAcks.isEmpty()) {
        sendAcks();
      }
      return;
    }
    List<NilextId> removed = fastPath.takeRemoved();
    if (!removed.isEmpty()) {
      // Not forced; may compact the file, whose fsyncs the count below includes.
      durabilityStore.remove(removed);
    }
    durabilitySyncs = durabilityStore.forceCount();
    sendAcks();
    for (Message m : fastPath.takeMessages()) {
      transport.send(m);
    }
  }

  private void sendAcks() {
    for (PendingAck a : pendingAcks) {
      a.connection().send(a.ack());
    }
    pendingAcks.clear();
  }

  /** Proposes the updates the fast-path leader ordered; nobody waits for their replies here. */
  private void proposeOrdered() {
    if (fastPath == null) {
      return;
    }
    boolean recovered = fastPath.takeRecoveryFinished();
    List<byte[]> ordered = fastPath.takeProposals();
    if (!ordered.isEmpty() && raft.role() == Role.LEADER) {
      var unused = raft.propose(ordered);
    }
    if (recovered) {
      readBarrier = raft.lastIndex();
    }
  }

  private void onClientRequest(Inbound.ClientRequest r) throws IOException {
    KvCommand command = r.request().command();
    boolean read = command instanceof KvCommand.Get || command instanceof KvCommand.MultiGet;
    if (fastPath != null && raft.role() == Role.LEADER) {
      if (!fastPath.serving()) {
        // Recovering the durability logs (Skyros): nothing is served before that ends.
        r.from().send(new Frame.Busy(r.requestId()));
        return;
      }
      if (fastPath.mustOrderBefore(r.request())) {
        // A read of a pending key, or any update (a nilext one that fell back included): order
        // what is pending first (Skyros 4.4), so it comes after every update the leader holds.
        fastPath.orderNow();
        proposeOrdered();
        if (read && raftConfig.leaseReads()) {
          deferredReads.addLast(new DeferredRead(raft.lastIndex(), r));
          return;
        }
      } else if (read && raftConfig.leaseReads() && kv.appliedIndex() < readBarrier) {
        // Updates recovered from the old leader's term are not applied yet.
        deferredReads.addLast(new DeferredRead(readBarrier, r));
        return;
      }
    }
    if (read && raftConfig.leaseReads()) {
      onRead(r);
      return;
    }
    if (raftConfig.batching()) {
      proposals.add(r);
      return;
    }
    ProposeResult result = raft.propose(List.of(r.payload()));
    if (result instanceof ProposeResult.NotLeader notLeader) {
      replyNotLeader(r.from(), r.requestId(), notLeader.leaderId());
      return;
    }
    await(r);
    // Vanilla: persist (and fsync) this entry on its own before the next request is proposed.
    handleReadies();
  }

  /** Proposes every request drained in this iteration as one batch ({@code batching}). */
  private void proposeBatch() {
    if (proposals.isEmpty()) {
      return;
    }
    proposeOrdered();
    List<byte[]> payloads = new ArrayList<>(proposals.size());
    for (Inbound.ClientRequest r : proposals) {
      payloads.add(r.payload());
    }
    ProposeResult result = raft.propose(payloads);
    for (Inbound.ClientRequest r : proposals) {
      if (result instanceof ProposeResult.NotLeader notLeader) {
        replyNotLeader(r.from(), r.requestId(), notLeader.leaderId());
      } else {
        await(r);
      }
    }
    proposals.clear();
  }

  /** A retry (same clientId and seq) replaces the earlier waiter: the newest connection answers. */
  private void await(Inbound.ClientRequest r) {
    waiting.put(r.request().clientId(), new Waiting(r.request().seq(), r.from(), r.requestId()));
  }

  private void replyNotLeader(ClientConnection to, long requestId, int leader) {
    to.send(new Frame.NotLeader(requestId, leader, config.address(leader)));
  }

  /** A read outside the log: a lease read at once, or a ReadIndex round (thesis 6.4). */
  private void onRead(Inbound.ClientRequest r) {
    long readId = ++nextReadId;
    boolean underLease = raft.leaseValid();
    if (!raft.readIndex(readId)) {
      replyNotLeader(r.from(), r.requestId(), raft.leaderId());
      return;
    }
    pendingReads.put(
        readId, new PendingRead(r.from(), r.requestId(), r.request().command(), underLease));
  }

  /** Starts the reads whose pending fast-path updates the state machine has now applied. */
  private void releaseDeferredReads() {
    while (!deferredReads.isEmpty()
        && deferredReads.peekFirst().untilApplied() <= kv.appliedIndex()) {
      onRead(deferredReads.pollFirst().request());
    }
  }

  /** Answers every read whose read point the state machine has reached. */
  private void answerReads() {
    while (!readPoints.isEmpty() && readPoints.peekFirst().index() <= kv.appliedIndex()) {
      ReadState point = readPoints.pollFirst();
      PendingRead read = pendingReads.remove(point.requestId());
      if (read == null) {
        continue;
      }
      if (read.underLease()) {
        leaseReadsServed++;
      } else {
        readIndexReadsServed++;
      }
      read.connection()
          .send(
              new Frame.ClientReply(
                  read.requestId(), KvCodec.encodeReply(kv.read(read.command()))));
    }
  }

  /** Reads the core will never answer (it lost leadership) are refused so clients retry. */
  private void failPendingReads() {
    for (PendingRead read : pendingReads.values()) {
      replyNotLeader(read.connection(), read.requestId(), raft.leaderId());
    }
    pendingReads.clear();
    readPoints.clear();
    for (DeferredRead d : deferredReads) {
      replyNotLeader(d.request().from(), d.request().requestId(), raft.leaderId());
    }
    deferredReads.clear();
  }

  private void onQuery(Inbound.ClientQuery q) {
    Frame query = q.query();
    if (query instanceof Frame.LeaderQuery leaderQuery) {
      int leader = raft.leaderId();
      q.from()
          .send(
              new Frame.LeaderInfo(
                  leaderQuery.requestId(), leader, config.address(leader), raft.term()));
    } else if (query instanceof Frame.StatusQuery statusQuery) {
      Map<String, String> fields = currentStatus().fields();
      // Facts of the process rather than of the node, so they are read here, not every iteration.
      fields.put("jitMillis", Long.toString(JvmTimes.compileMillis()));
      fields.put("cpuMillis", Long.toString(JvmTimes.cpuMillis()));
      fields.put("gcMillis", Long.toString(JvmTimes.gcMillis()));
      q.from().send(new Frame.StatusInfo(statusQuery.requestId(), fields));
    }
  }

  /** Handles Readies one at a time, in the order the {@link Ready} contract requires. */
  private void handleReadies() throws IOException {
    while (raft.hasReady()) {
      Ready ready = raft.ready();
      if (!ready.earlyMessages().isEmpty()) {
        for (Message m : ready.earlyMessages()) {
          transport.send(m);
        }
        // Out before the fsync starts, so the followers write while the leader does.
        transport.flush();
      }
      if (ready.mustPersist()) {
        store.persist(ready.hardState(), ready.entries());
      }
      for (Message m : ready.messages()) {
        transport.send(m);
      }
      for (Entry e : ready.committedEntries()) {
        apply(e);
      }
      readPoints.addAll(ready.readStates());
      answerReads();
      raft.advance(ready);
      releaseDeferredReads();
    }
  }

  private void apply(Entry e) {
    Applied applied = kv.apply(e);
    if (applied == null || applied.request() == null) {
      return;
    }
    if (fastPath != null) {
      fastPath.onApplied(applied.request());
    }
    Waiting w = waiting.get(applied.request().clientId());
    if (w != null && w.seq() == applied.request().seq()) {
      waiting.remove(applied.request().clientId());
      w.connection()
          .send(new Frame.ClientReply(w.requestId(), KvCodec.encodeReply(applied.reply())));
    }
  }

  private void noticeRoleChange() {
    Role role = raft.role();
    int leader = raft.leaderId();
    if (role != lastRole || leader != lastLeader) {
      LOG.log(
          Level.INFO,
          "node {0}: {1} in term {2}, leader {3}",
          config.id(),
          role,
          raft.term(),
          leader == 0 ? "unknown" : Integer.toString(leader));
      if (lastRole == Role.LEADER && role != Role.LEADER) {
        failPendingReads();
        // Entries proposed here may still commit under the next leader and be answered then;
        // waiters whose client has gone can never be answered.
        waiting.values().removeIf(w -> !w.connection().isOpen());
      }
      lastRole = role;
      lastLeader = leader;
    }
  }

  private NodeStatus currentStatus() {
    return new NodeStatus(
        config.id(),
        raft.role(),
        raft.term(),
        raft.leaderId(),
        raft.commitIndex(),
        kv.appliedIndex(),
        raft.lastIndex(),
        config.variant(),
        flags,
        config.durability().flagName(),
        store.syncCount(),
        leaseReadsServed,
        readIndexReadsServed,
        fastPathAccepted,
        fastPath == null ? 0 : fastPath.log().size(),
        durabilitySyncs);
  }

  private void publishStatus() {
    status = currentStatus();
  }
}
