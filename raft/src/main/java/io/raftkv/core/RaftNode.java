package io.raftkv.core;

import io.raftkv.core.Message.AppendEntriesRequest;
import io.raftkv.core.Message.AppendEntriesResponse;
import io.raftkv.core.Message.HeartbeatRequest;
import io.raftkv.core.Message.HeartbeatResponse;
import io.raftkv.core.Message.VoteRequest;
import io.raftkv.core.Message.VoteResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One Raft node as a pure state machine (the etcd-io/raft model). It does no I/O, starts no threads
 * and never reads a clock: time passes through {@link #tick()}, messages arrive through {@link
 * #step(Message)}, clients through {@link #propose(List)} and {@link #readIndex(long)}, and
 * everything the caller must do comes out as a {@link Ready}, acknowledged with {@link
 * #advance(Ready)}. Randomness (election timeouts) comes only from the generator passed in, so a
 * node fed the same inputs behaves the same way.
 *
 * <p>Implements the Raft paper's Figure 2 with: randomized election timeouts (5.2), the up-to-date
 * check on votes (5.4.1), conflict-term backtracking and truncation of a conflicting suffix (5.3),
 * the current-term commit rule (5.4.2), a no-op on election (8), pre-vote and check-quorum (thesis
 * 9.6, 6.2), and ReadIndex (thesis 6.4). Each follower's acknowledgment is recorded once as a match
 * index, so duplicated or retransmitted replies never count twice.
 */
public final class RaftNode {
  private final RaftConfig config;
  private final int id;
  private final List<Integer> voters;
  private final RandomGenerator random;
  private final RaftLog log;

  private long term;
  private int votedFor;
  private Role role = Role.FOLLOWER;
  private int leaderId;
  private long commitIndex;

  /** Highest committed index handed out in a Ready for applying. */
  private long applyingIndex;

  /** Highest index the caller has applied (acknowledged through advance). */
  private long appliedIndex;

  private long tickCount;
  private int electionElapsed;
  private int heartbeatElapsed;
  private int randomizedElectionTimeout;

  private final Map<Integer, Progress> progress = new LinkedHashMap<>();
  private final Set<Integer> votesGranted = new HashSet<>();
  private final Set<Integer> votesRejected = new HashSet<>();
  private final ReadIndexTracker reads = new ReadIndexTracker();
  private final LeaseTracker lease = new LeaseTracker();

  /**
   * The tick at which this node last heard from a leader of its term (AppendEntries or heartbeat).
   * Starts at 0, so a node that has just (re)started counts as having heard from a leader: it has
   * forgotten whether it did, and a lease it helped confirm may still run.
   */
  private long lastLeaderContactTick;

  private HardState handedHardState;
  private final List<Message> outbox = new ArrayList<>();
  private final List<ReadState> readStates = new ArrayList<>();
  private boolean readyOutstanding;

  /**
   * Creates a node from what stable storage holds.
   *
   * @param config the variant's settings
   * @param id this node's id, one of {@code voters}
   * @param voters the ids of every voting member, this node included; ids are positive
   * @param hardState the persisted term and vote ({@link HardState#INITIAL} on first start)
   * @param persistedLog the persisted entries, contiguous from index 1
   * @param random the only source of randomness (election timeouts)
   */
  public RaftNode(
      RaftConfig config,
      int id,
      List<Integer> voters,
      HardState hardState,
      List<Entry> persistedLog,
      RandomGenerator random) {
    if (!voters.contains(id)) {
      throw new IllegalArgumentException("node " + id + " is not among the voters " + voters);
    }
    if (voters.stream().anyMatch(v -> v <= 0) || Set.copyOf(voters).size() != voters.size()) {
      throw new IllegalArgumentException("voter ids must be positive and distinct: " + voters);
    }
    this.config = config;
    this.id = id;
    this.voters = List.copyOf(voters);
    this.random = random;
    this.log = new RaftLog(persistedLog);
    this.term = hardState.term();
    this.votedFor = hardState.votedFor();
    this.handedHardState = hardState;
    if (log.lastTerm() > term) {
      throw new IllegalArgumentException(
          "persisted log has term " + log.lastTerm() + " above the persisted term " + term);
    }
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- inputs

  /** One tick of logical time passes: elections and heartbeats are counted in ticks. */
  public void tick() {
    tickCount++;
    electionElapsed++;
    if (role == Role.LEADER) {
      tickLeader();
    } else if (electionElapsed >= randomizedElectionTimeout) {
      campaign();
    }
  }

  /** Handles one message from a peer. Messages for other nodes or from strangers are ignored. */
  public void step(Message m) {
    if (m.to() != id || !voters.contains(m.from()) || m.from() == id) {
      return;
    }
    if (m instanceof Message.DurabilityLogRequest
        || m instanceof Message.DurabilityLogResponse
        || m instanceof Message.DurabilityLogPrune) {
      // Fast-path recovery traffic belongs to the fast-path replica, not to Raft.
      return;
    }
    if (m.term() > term) {
      if (!onHigherTerm(m)) {
        return;
      }
    } else if (m.term() < term) {
      onLowerTerm(m);
      return;
    }
    if (m instanceof VoteRequest r) {
      onVoteRequest(r);
    } else if (m instanceof VoteResponse r) {
      onVoteResponse(r);
    } else if (m instanceof AppendEntriesRequest r) {
      onAppendEntries(r);
    } else if (m instanceof AppendEntriesResponse r) {
      onAppendEntriesResponse(r);
    } else if (m instanceof HeartbeatRequest r) {
      onHeartbeat(r);
    } else if (m instanceof HeartbeatResponse r) {
      onHeartbeatResponse(r);
    }
  }

  /**
   * Appends each command as one entry of the current term, if this node leads. The caller learns
   * the outcome when the entries come back committed (or do not: a proposal can be lost on a change
   * of leader, so clients retry).
   */
  public ProposeResult propose(List<byte[]> commands) {
    if (role != Role.LEADER) {
      return new ProposeResult.NotLeader(leaderId);
    }
    if (commands.isEmpty()) {
      throw new IllegalArgumentException("nothing to propose");
    }
    long first = log.lastIndex() + 1;
    for (byte[] c : commands) {
      log.append(Entry.command(term, log.lastIndex() + 1, c));
    }
    broadcastAppend();
    return new ProposeResult.Accepted(term, first, log.lastIndex());
  }

  /**
   * Asks for a linearizable read point (ReadIndex, thesis 6.4). When leadership has been confirmed,
   * a {@link ReadState} with {@code requestId} comes out in a Ready. Returns false if this node is
   * not the leader. Reads still pending when the node loses leadership are never answered; the
   * caller fails them on a role change.
   */
  public boolean readIndex(long requestId) {
    if (role != Role.LEADER) {
      return false;
    }
    if (log.term(commitIndex) != term) {
      reads.deferUntilTermCommit(requestId);
    } else if (leaseValid()) {
      readStates.add(new ReadState(requestId, commitIndex));
    } else {
      startReadRound(List.of(requestId));
    }
    return true;
  }

  /**
   * Whether this leader may answer a read from its own state right now (thesis 6.4.1): {@code
   * leaseReads} is on, it has committed an entry of its term (its no-op), and a majority answered a
   * heartbeat broadcast sent less than {@link RaftConfig#leaseTicks()} ticks ago. A new leader
   * needs no extra wait for its predecessor's lease: each vote it got came from a node that had not
   * heard from any leader for a full election timeout, longer than any lease.
   */
  public boolean leaseValid() {
    if (!config.leaseReads() || role != Role.LEADER || log.term(commitIndex) != term) {
      return false;
    }
    if (quorum() == 1) {
      return true;
    }
    long start = lease.leaseStart(quorum());
    return start >= 0 && tickCount < start + config.leaseTicks();
  }

  // ---------------------------------------------------------------- output

  /** Whether {@link #ready()} would return something to do. */
  public boolean hasReady() {
    return !readyOutstanding
        && (unpersisted()
            || !outbox.isEmpty()
            || commitIndex > applyingIndex
            || !readStates.isEmpty());
  }

  /**
   * Whether the next {@link #ready()} would ask the caller to persist something (a changed hard
   * state or unpersisted entries): what a caller with a second file to force checks to decide
   * whether the two writes could overlap.
   */
  public boolean hasUnpersisted() {
    return !readyOutstanding && unpersisted();
  }

  /** A hard state or entries not yet handed out for persisting. */
  private boolean unpersisted() {
    return !handedHardState.equals(hardState()) || log.hasUnpersisted();
  }

  /**
   * Hands out what the caller must persist, send, apply and answer (see {@link Ready} for the
   * order). Only one Ready is outstanding at a time.
   */
  public Ready ready() {
    if (readyOutstanding) {
      throw new IllegalStateException("the previous Ready has not been advanced");
    }
    readyOutstanding = true;
    HardState hs = hardState();
    HardState changed = hs.equals(handedHardState) ? null : hs;
    handedHardState = hs;
    List<Message> early = new ArrayList<>();
    List<Message> late = new ArrayList<>();
    boolean mayGoEarly = config.parallelLeaderWrite() && role == Role.LEADER && changed == null;
    for (Message m : outbox) {
      boolean replication = m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest;
      (mayGoEarly && replication ? early : late).add(m);
    }
    List<Entry> toPersist = log.takeUnpersisted();
    List<Entry> toApply = new ArrayList<>();
    for (long i = applyingIndex + 1; i <= commitIndex; i++) {
      toApply.add(log.entry(i));
    }
    applyingIndex = commitIndex;
    Ready r = new Ready(changed, toPersist, early, late, toApply, readStates);
    outbox.clear();
    readStates.clear();
    return r;
  }

  /** Acknowledges that the caller persisted, sent and applied everything in {@code ready}. */
  public void advance(Ready ready) {
    if (!readyOutstanding) {
      throw new IllegalStateException("no Ready outstanding");
    }
    readyOutstanding = false;
    if (!ready.entries().isEmpty()) {
      Entry last = ready.entries().get(ready.entries().size() - 1);
      log.stableTo(last.index(), last.term());
      if (role == Role.LEADER) {
        maybeCommit();
      }
    }
    if (!ready.committedEntries().isEmpty()) {
      appliedIndex = ready.committedEntries().get(ready.committedEntries().size() - 1).index();
    }
  }

  // ---------------------------------------------------------------- accessors

  public int id() {
    return id;
  }

  public Role role() {
    return role;
  }

  public long term() {
    return term;
  }

  public int votedFor() {
    return votedFor;
  }

  /** The leader this node knows of in its current term, or 0. */
  public int leaderId() {
    return leaderId;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long lastTerm() {
    return log.lastTerm();
  }

  /** The highest index the caller has confirmed durable. */
  public long stableIndex() {
    return log.stableIndex();
  }

  /** The entry at {@code index}, or null if the log does not hold it. */
  public Entry entry(long index) {
    return log.entry(index);
  }

  public HardState hardState() {
    return new HardState(term, votedFor);
  }

  public RaftConfig config() {
    return config;
  }

  public List<Integer> voters() {
    return voters;
  }

  /** The leader's view of a follower's match index, or -1 if unknown or not leader. */
  public long matchIndex(int follower) {
    Progress p = progress.get(follower);
    return p == null ? -1 : p.match;
  }

  @Override
  public String toString() {
    return "RaftNode[id="
        + id
        + " "
        + role
        + " term="
        + term
        + " leader="
        + leaderId
        + " last="
        + log.lastIndex()
        + "@"
        + log.lastTerm()
        + " commit="
        + commitIndex
        + "]";
  }

  // ---------------------------------------------------------------- terms

  /**
   * Raft 5.1: a higher term makes the node a follower, except that pre-vote traffic never changes
   * terms and a node that heard from a live leader within the election timeout ignores disruptive
   * vote requests (check-quorum, thesis 4.2.3). Returns whether to go on handling m.
   */
  private boolean onHigherTerm(Message m) {
    if (m instanceof VoteRequest r) {
      if (config.checkQuorum() && leaderId != 0 && electionElapsed < config.electionTicks()) {
        return false;
      }
      if (config.leaseReads() && tickCount - lastLeaderContactTick < config.electionTicks()) {
        // A lease this node helped confirm may still be running (thesis 6.4.1).
        return false;
      }
      if (!r.preVote()) {
        becomeFollower(r.term(), 0);
      }
      return true;
    }
    if (m instanceof VoteResponse r) {
      if (!(r.preVote() && r.granted())) {
        becomeFollower(r.term(), 0);
      }
      return true;
    }
    if (m instanceof AppendEntriesRequest || m instanceof HeartbeatRequest) {
      becomeFollower(m.term(), m.from());
      return true;
    }
    becomeFollower(m.term(), 0);
    return false;
  }

  /**
   * A message of an older term. A stale leader is told the current term so it steps down (with
   * check-quorum it might otherwise keep its role in a minority); a stale pre-candidate is refused.
   * Everything else is dropped.
   */
  private void onLowerTerm(Message m) {
    if (m instanceof AppendEntriesRequest r) {
      send(new AppendEntriesResponse(id, r.from(), term, false, r.prevLogIndex(), 0, 0));
    } else if (m instanceof HeartbeatRequest r) {
      send(new HeartbeatResponse(id, r.from(), term, 0));
    } else if (m instanceof VoteRequest r && r.preVote()) {
      send(new VoteResponse(id, r.from(), term, false, true));
    }
  }

  // ---------------------------------------------------------------- elections

  private void campaign() {
    if (config.preVote()) {
      becomePreCandidate();
    } else {
      becomeCandidate();
    }
  }

  private void becomePreCandidate() {
    role = Role.PRE_CANDIDATE;
    leaderId = 0;
    startVoting(term + 1, true);
  }

  private void becomeCandidate() {
    role = Role.CANDIDATE;
    term++;
    votedFor = id;
    leaderId = 0;
    startVoting(term, false);
  }

  private void startVoting(long voteTerm, boolean preVote) {
    resetElectionTimer();
    progress.clear();
    reads.clear();
    lease.clear();
    votesGranted.clear();
    votesRejected.clear();
    votesGranted.add(id);
    if (votesGranted.size() >= quorum()) {
      onElectionWon(preVote);
      return;
    }
    for (int peer : voters) {
      if (peer != id) {
        send(new VoteRequest(id, peer, voteTerm, log.lastIndex(), log.lastTerm(), preVote));
      }
    }
  }

  private void onElectionWon(boolean preVote) {
    if (preVote) {
      becomeCandidate();
    } else {
      becomeLeader();
    }
  }

  /** Raft 5.2 and 5.4.1: one vote per term, only for a log at least as up-to-date as ours. */
  private void onVoteRequest(VoteRequest r) {
    boolean canVote =
        votedFor == r.from()
            || (votedFor == HardState.NO_VOTE && leaderId == 0)
            || (r.preVote() && r.term() > term);
    boolean grant = canVote && log.isUpToDate(r.lastLogIndex(), r.lastLogTerm());
    if (grant && !r.preVote()) {
      votedFor = r.from();
      electionElapsed = 0;
    }
    send(new VoteResponse(id, r.from(), grant ? r.term() : term, grant, r.preVote()));
  }

  private void onVoteResponse(VoteResponse r) {
    boolean expected =
        (role == Role.PRE_CANDIDATE && r.preVote()) || (role == Role.CANDIDATE && !r.preVote());
    if (!expected) {
      return;
    }
    long voteTerm = r.preVote() ? term + 1 : term;
    if (r.granted() && r.term() != voteTerm) {
      return;
    }
    if (r.granted()) {
      votesGranted.add(r.from());
    } else {
      votesRejected.add(r.from());
    }
    if (votesGranted.size() >= quorum()) {
      onElectionWon(r.preVote());
    } else if (votesRejected.size() >= quorum()) {
      becomeFollower(term, 0);
    }
  }

  private void becomeFollower(long newTerm, int leader) {
    if (newTerm > term) {
      term = newTerm;
      votedFor = HardState.NO_VOTE;
    }
    role = Role.FOLLOWER;
    leaderId = leader;
    progress.clear();
    reads.clear();
    lease.clear();
    resetElectionTimer();
  }

  /** Raft 5.2 and 8: a new leader appends a no-op of its term so earlier entries can commit. */
  private void becomeLeader() {
    role = Role.LEADER;
    leaderId = id;
    heartbeatElapsed = 0;
    electionElapsed = 0;
    progress.clear();
    reads.clear();
    lease.clear();
    for (int peer : voters) {
      if (peer != id) {
        progress.put(peer, new Progress(peer, log.lastIndex() + 1));
      }
    }
    log.append(Entry.noop(term, log.lastIndex() + 1));
    broadcastAppend();
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
  }

  // ---------------------------------------------------------------- leader

  private void tickLeader() {
    heartbeatElapsed++;
    if (config.checkQuorum() && electionElapsed >= config.electionTicks()) {
      electionElapsed = 0;
      if (!checkQuorumActive()) {
        becomeFollower(term, 0);
        return;
      }
    }
    for (Progress p : progress.values()) {
      if (p.hasInflight() && tickCount - p.oldestSendTick() >= config.retransmitTicks()) {
        p.becomeProbe(p.state == Progress.State.REPLICATE ? p.match + 1 : p.next);
        sendAppend(p);
      }
    }
    if (heartbeatElapsed >= config.heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat();
    }
  }

  /** Thesis 6.2: a leader that has not heard from a majority in an election timeout steps down. */
  private boolean checkQuorumActive() {
    int active = 1;
    for (Progress p : progress.values()) {
      if (p.recentActive) {
        active++;
      }
      p.recentActive = false;
    }
    return active >= quorum();
  }

  private void broadcastAppend() {
    for (Progress p : progress.values()) {
      sendAppend(p);
    }
  }

  /**
   * Sends a heartbeat to every follower; returns the broadcast's id, which the answers echo and
   * which both ReadIndex rounds and the lease are confirmed by.
   */
  private long broadcastHeartbeat() {
    long round = lease.broadcast(tickCount, 2L * config.electionTicks());
    for (Progress p : progress.values()) {
      send(new HeartbeatRequest(id, p.id, term, Math.min(p.match, commitIndex), round));
    }
    return round;
  }

  /**
   * Sends AppendEntries to one follower while its window allows: in probe state a single message
   * (possibly empty, to find the match point), in replicate state up to {@code maxInflight}
   * messages of up to {@code maxEntriesPerAppend} entries each.
   */
  private void sendAppend(Progress p) {
    while (p.canSend(config.inflightWindow())) {
      long prevIndex = p.next - 1;
      List<Entry> entries =
          log.slice(p.next, log.lastIndex(), config.entriesPerAppend(), config.maxBytesPerAppend());
      if (entries.isEmpty() && p.state == Progress.State.REPLICATE) {
        return;
      }
      send(
          new AppendEntriesRequest(
              id, p.id, term, prevIndex, log.term(prevIndex), entries, commitIndex));
      p.sent(prevIndex + entries.size(), tickCount);
      if (p.state == Progress.State.PROBE) {
        return;
      }
    }
  }

  private void onAppendEntriesResponse(AppendEntriesResponse r) {
    Progress p = progress.get(r.from());
    if (role != Role.LEADER || p == null) {
      return;
    }
    p.recentActive = true;
    if (r.success()) {
      p.acknowledged(r.index());
      boolean moved = p.maybeUpdate(r.index());
      if (p.state == Progress.State.PROBE && (moved || p.match >= p.next - 1)) {
        p.becomeReplicate();
      }
      if (moved) {
        maybeCommit();
      }
      sendAppend(p);
      return;
    }
    boolean stale =
        p.state == Progress.State.REPLICATE ? r.index() <= p.match : r.index() != p.next - 1;
    if (stale) {
      return;
    }
    p.becomeProbe(backtrack(r));
    sendAppend(p);
  }

  /**
   * Where to probe next after a rejection: past the leader's last entry of the follower's
   * conflicting term if the leader has that term, else the first index of that term in the
   * follower's log (Raft 5.3, the optimization in its last paragraphs). Always below the rejected
   * index, so probing ends.
   */
  private long backtrack(AppendEntriesResponse r) {
    long next;
    if (r.conflictTerm() > 0) {
      long last = log.lastIndexOfTerm(r.index(), r.conflictTerm());
      next = last > 0 ? last + 1 : r.conflictIndex();
    } else {
      next = r.conflictIndex();
    }
    return Math.max(1, Math.min(next, r.index()));
  }

  private void onHeartbeatResponse(HeartbeatResponse r) {
    Progress p = progress.get(r.from());
    if (role != Role.LEADER || p == null) {
      return;
    }
    p.recentActive = true;
    if (p.match < log.lastIndex() && !p.hasInflight()) {
      sendAppend(p);
    }
    lease.acknowledge(r.from(), r.readRound());
    readStates.addAll(reads.acknowledge(r.from(), r.readRound(), quorum()));
  }

  /**
   * Raft 5.3 and 5.4.2: the commit index moves to the highest index stored on a majority (the
   * leader counting itself only for durable entries), but only if that entry is of the current
   * term; earlier entries commit with it.
   */
  private void maybeCommit() {
    long[] matches = new long[voters.size()];
    int i = 0;
    matches[i++] = log.stableIndex();
    for (Progress p : progress.values()) {
      matches[i++] = p.match;
    }
    java.util.Arrays.sort(matches);
    long candidate = matches[matches.length - quorum()];
    if (candidate > commitIndex && log.term(candidate) == term) {
      boolean firstInTerm = log.term(commitIndex) != term;
      commitIndex = candidate;
      if (firstInTerm) {
        List<Long> deferred = reads.takeDeferred();
        if (!deferred.isEmpty()) {
          startReadRound(deferred);
        }
      }
    }
  }

  private void startReadRound(List<Long> requestIds) {
    if (quorum() == 1) {
      for (long requestId : requestIds) {
        readStates.add(new ReadState(requestId, commitIndex));
      }
      return;
    }
    long round = broadcastHeartbeat();
    reads.startRound(requestIds, commitIndex, id, round);
  }

  // ---------------------------------------------------------------- follower

  private void onAppendEntries(AppendEntriesRequest r) {
    if (role != Role.FOLLOWER) {
      becomeFollower(term, r.from());
    }
    leaderId = r.from();
    electionElapsed = 0;
    lastLeaderContactTick = tickCount;
    if (r.prevLogIndex() < commitIndex) {
      send(new AppendEntriesResponse(id, r.from(), term, true, commitIndex, 0, 0));
      return;
    }
    if (!log.matchTerm(r.prevLogIndex(), r.prevLogTerm())) {
      send(rejection(r));
      return;
    }
    for (Entry e : r.entries()) {
      long have = log.term(e.index());
      if (have == e.term()) {
        continue;
      }
      if (have != -1) {
        if (e.index() <= commitIndex) {
          throw new IllegalStateException(
              "leader " + r.from() + " would overwrite committed entry " + e.index());
        }
        log.truncateFrom(e.index());
      }
      log.append(e);
    }
    long lastNew = r.lastIndex();
    commitTo(Math.min(r.leaderCommit(), lastNew));
    send(new AppendEntriesResponse(id, r.from(), term, true, lastNew, 0, 0));
  }

  private AppendEntriesResponse rejection(AppendEntriesRequest r) {
    long prev = r.prevLogIndex();
    if (prev > log.lastIndex()) {
      return new AppendEntriesResponse(id, r.from(), term, false, prev, 0, log.lastIndex() + 1);
    }
    long conflictTerm = log.term(prev);
    long first = log.firstIndexOfTerm(prev, conflictTerm);
    return new AppendEntriesResponse(
        id, r.from(), term, false, prev, conflictTerm, Math.max(first, commitIndex + 1));
  }

  private void onHeartbeat(HeartbeatRequest r) {
    if (role != Role.FOLLOWER) {
      becomeFollower(term, r.from());
    }
    leaderId = r.from();
    electionElapsed = 0;
    lastLeaderContactTick = tickCount;
    // Safe only because the leader caps the heartbeat's commit at this follower's match index:
    // entries up to it are known to equal the leader's.
    commitTo(Math.min(r.commitIndex(), log.lastIndex()));
    send(new HeartbeatResponse(id, r.from(), term, r.readRound()));
  }

  private void commitTo(long index) {
    if (index > commitIndex) {
      commitIndex = index;
    }
  }

  // ---------------------------------------------------------------- helpers

  private int quorum() {
    return voters.size() / 2 + 1;
  }

  private void send(Message m) {
    outbox.add(m);
  }
}
