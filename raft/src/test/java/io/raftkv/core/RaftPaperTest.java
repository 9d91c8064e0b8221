package io.raftkv.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Message.AppendEntriesRequest;
import io.raftkv.core.Message.AppendEntriesResponse;
import io.raftkv.core.Message.HeartbeatRequest;
import io.raftkv.core.Message.HeartbeatResponse;
import io.raftkv.core.Message.VoteRequest;
import io.raftkv.core.Message.VoteResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One test per claim of the Raft paper (Ongaro and Ousterhout, "In Search of an Understandable
 * Consensus Algorithm", 2014) and of Ongaro's thesis for pre-vote, check-quorum and ReadIndex,
 * after etcd-io/raft's {@code raft_paper_test.go}. Each test names the section it checks.
 * Single-node claims step one {@link RaftNode} by hand; cluster claims use {@link TestNetwork}.
 */
class RaftPaperTest {
  private static final RaftConfig VANILLA = RaftConfig.vanilla();
  private static final int ELECTION = VANILLA.electionTicks();

  // ================================================================ 5.1 terms

  /** 5.1: any message with a higher term makes a leader update its term and become follower. */
  @Test
  void s5_1_leaderSeeingHigherTermInAnyMessageBecomesFollower() {
    List<Supplier<Message>> higher =
        List.of(
            () -> new AppendEntriesResponse(2, 1, 5, true, 1, 0, 0),
            () -> new HeartbeatResponse(2, 1, 5, 0),
            () -> new HeartbeatRequest(2, 1, 5, 0, 0),
            () -> new AppendEntriesRequest(2, 1, 5, 1, 1, List.of(), 0),
            () -> new VoteResponse(2, 1, 5, false, false));
    for (Supplier<Message> message : higher) {
      TestNetwork net = new TestNetwork(3, 1);
      net.elect(1);
      assertEquals(1, net.node(1).term());
      Message m = message.get();
      net.node(1).step(m);
      assertEquals(5, net.node(1).term(), m::toString);
      assertEquals(Role.FOLLOWER, net.node(1).role(), m::toString);
      assertEquals(HardState.NO_VOTE, net.node(1).votedFor(), "a new term starts without a vote");
    }
  }

  /** 5.1: a follower seeing a higher term in a RequestVote adopts it (and may vote in it). */
  @Test
  void s5_1_followerAdoptsHigherTermOfVoteRequest() {
    RaftNode n = rawNode(1, 3, new HardState(2, 3), logOfTerms(1, 2));
    n.step(new VoteRequest(2, 1, 7, 2, 2, false));
    assertEquals(7, n.term());
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(2, n.votedFor(), "the old term's vote for 3 does not block a vote in term 7");
  }

  /** 5.1: a request with a stale term is rejected, and the answer carries the current term. */
  @Test
  void s5_1_staleTermRequestsAreRejectedWithCurrentTerm() {
    RaftNode n = rawNode(1, 3, new HardState(3, HardState.NO_VOTE), logOfTerms(1));
    n.step(append(2, 1, 2, 1, 1, 2, Entry.command(2, 2, bytes("x"))));
    n.step(new VoteRequest(2, 1, 2, 9, 2, false));
    Ready rd = drain(n);
    assertEquals(1, n.lastIndex(), "entries of a stale leader are not appended");
    assertEquals(0, n.commitIndex());
    assertEquals(3, n.term());
    assertEquals(HardState.NO_VOTE, n.votedFor(), "no vote for a stale candidate");
    AppendEntriesResponse resp = only(messagesOf(rd, AppendEntriesResponse.class));
    assertFalse(resp.success());
    assertEquals(3, resp.term(), "the stale leader must learn the newer term");
    assertTrue(messagesOf(rd, VoteResponse.class).isEmpty(), "a stale vote request gets no vote");
  }

  /**
   * 5.1: a deposed leader (cut off while a new one was elected) proposes after the partition heals;
   * the rejection carries the newer term, it steps down, and its stale entry is overwritten.
   */
  @Test
  void s5_1_staleLeaderStepsDownOnRejectionCarryingNewerTerm() {
    TestNetwork net = new TestNetwork(3, 2);
    net.elect(1);
    net.heartbeat(1);
    net.isolate(1);
    net.tickUntil(
        List.of(2, 3),
        () -> net.node(2).role() == Role.LEADER || net.node(3).role() == Role.LEADER,
        20 * ELECTION);
    int newLeader = net.leader();
    long newTerm = net.node(newLeader).term();
    assertTrue(newTerm > 1);
    assertEquals(Role.LEADER, net.node(1).role(), "the old leader has not noticed yet");

    net.recover();
    ProposeResult r = net.propose(1, "stale");
    assertEquals(1, assertInstanceOf(ProposeResult.Accepted.class, r).term());
    assertEquals(Role.FOLLOWER, net.node(1).role());
    assertEquals(newTerm, net.node(1).term());
    assertTrue(
        net.delivered().stream()
            .anyMatch(
                m ->
                    m instanceof AppendEntriesResponse a
                        && a.to() == 1
                        && !a.success()
                        && a.term() == newTerm));

    net.tick(newLeader, 4 * VANILLA.heartbeatTicks());
    assertEquals(newTerm, net.node(1).entry(2).term(), "the stale entry is replaced");
    assertEquals(net.node(newLeader).commitIndex(), net.node(1).commitIndex());
  }

  // ================================================================ 5.2 election

  /**
   * 5.2 with pre-vote (thesis 9.6): a follower that hears nothing for its election timeout first
   * asks for pre-votes without raising its term; only a won pre-vote raises the term, records the
   * self-vote and asks for real votes; a majority of votes makes it leader.
   */
  @Test
  void s5_2_followerTimesOutIntoPreVoteThenElectionThenLeadership() {
    RaftNode n = rawNode(1, 3, HardState.INITIAL, List.of());
    int ticks = ticksUntilCampaign(n);
    assertTrue(ticks >= ELECTION && ticks < 2 * ELECTION, "timeout " + ticks);
    assertEquals(Role.PRE_CANDIDATE, n.role());
    assertEquals(0, n.term(), "pre-vote does not raise the term");
    Ready pre = drain(n);
    assertNull(pre.hardState(), "nothing to persist for a pre-vote");
    List<VoteRequest> preVotes = messagesOf(pre, VoteRequest.class);
    assertEquals(Set.of(2, 3), recipients(preVotes));
    for (VoteRequest v : preVotes) {
      assertTrue(v.preVote());
      assertEquals(1, v.term(), "a pre-vote asks for the term it would campaign in");
    }

    n.step(new VoteResponse(2, 1, 1, true, true));
    assertEquals(Role.CANDIDATE, n.role());
    assertEquals(1, n.term());
    assertEquals(1, n.votedFor());
    Ready vote = drain(n);
    assertEquals(new HardState(1, 1), vote.hardState());
    List<VoteRequest> votes = messagesOf(vote, VoteRequest.class);
    assertEquals(Set.of(2, 3), recipients(votes));
    assertTrue(votes.stream().noneMatch(VoteRequest::preVote));

    n.step(new VoteResponse(3, 1, 1, true, false));
    assertEquals(Role.LEADER, n.role());
    Ready lead = drain(n);
    assertEquals(List.of(Entry.noop(1, 1)), lead.entries(), "a new leader appends a no-op (8)");
    assertEquals(Set.of(2, 3), recipients(messagesOf(lead, AppendEntriesRequest.class)));
  }

  /** 5.2: a pre-vote not granted by a majority leaves the term untouched. */
  @Test
  void s5_2_lostPreVoteDoesNotRaiseTerm() {
    RaftNode n = rawNode(1, 3, new HardState(4, HardState.NO_VOTE), logOfTerms(1));
    ticksUntilCampaign(n);
    drain(n);
    n.step(new VoteResponse(2, 1, 4, false, true));
    n.step(new VoteResponse(3, 1, 4, false, true));
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(4, n.term());
    assertNull(drain(n).hardState());
  }

  /** 5.2: election timeouts are drawn from [electionTicks, 2 * electionTicks), per seed. */
  @Test
  void s5_2_electionTimeoutsAreRandomizedWithinRange() {
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 60; seed++) {
      RaftNode n =
          new RaftNode(VANILLA, 1, List.of(1, 2, 3), HardState.INITIAL, List.of(), rng(seed));
      int first = ticksUntilCampaign(n);
      assertTrue(first >= ELECTION && first < 2 * ELECTION, "timeout " + first);
      seen.add(first);
      drain(n);
      // A failed pre-vote round times out again, also within range.
      int second = ticksUntilRoleChangeOrRecampaign(n);
      assertTrue(second >= ELECTION && second < 2 * ELECTION, "second timeout " + second);
    }
    assertTrue(seen.size() >= 8, "timeouts are not randomized: " + seen);
  }

  /** 5.2: a candidate that wins votes from a majority (not all) becomes leader. */
  @Test
  void s5_2_candidateWithMajorityOfFiveBecomesLeader() {
    TestNetwork net = new TestNetwork(5, 3);
    net.isolate(4);
    net.isolate(5);
    net.elect(1);
    assertEquals(1, net.leader());
    assertEquals(1, net.node(1).term());
    assertEquals(1, net.node(2).votedFor());
    assertEquals(1, net.node(3).votedFor());
    assertEquals(0, net.node(4).term(), "the isolated nodes took no part");
  }

  /** 5.2: each node votes for at most one candidate in a term, and the vote is persisted. */
  @Test
  void s5_2_atMostOneVotePerTerm() {
    RaftNode n = rawNode(1, 3, HardState.INITIAL, List.of());
    n.step(new VoteRequest(2, 1, 1, 0, 0, false));
    n.step(new VoteRequest(3, 1, 1, 0, 0, false));
    n.step(new VoteRequest(2, 1, 1, 0, 0, false));
    Ready rd = drain(n);
    assertEquals(new HardState(1, 2), rd.hardState());
    List<VoteResponse> answers = messagesOf(rd, VoteResponse.class);
    assertEquals(3, answers.size());
    assertTrue(answers.get(0).granted());
    assertFalse(answers.get(1).granted(), "second candidate of the same term refused");
    assertEquals(3, answers.get(1).to());
    assertTrue(answers.get(2).granted(), "a retried request from the same candidate is granted");
    assertEquals(2, n.votedFor());
  }

  /** 5.2: a candidate that hears AppendEntries from a leader of its own term becomes follower. */
  @Test
  void s5_2_candidateStepsDownOnAppendEntriesOfItsTerm() {
    RaftNode n = rawNode(1, 3, HardState.INITIAL, List.of());
    ticksUntilCampaign(n);
    n.step(new VoteResponse(2, 1, 1, true, true));
    assertEquals(Role.CANDIDATE, n.role());
    drain(n);
    n.step(append(2, 1, 1, 0, 0, 0, Entry.noop(1, 1)));
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(1, n.term());
    assertEquals(2, n.leaderId());
    assertEquals(1, n.lastIndex());
    AppendEntriesResponse resp = only(messagesOf(drain(n), AppendEntriesResponse.class));
    assertTrue(resp.success());
  }

  /** 5.2 with pre-vote: a pre-candidate hearing the current leader's heartbeat stands down. */
  @Test
  void s5_2_preCandidateStepsDownOnHeartbeatOfItsTerm() {
    RaftNode n = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1));
    ticksUntilCampaign(n);
    assertEquals(Role.PRE_CANDIDATE, n.role());
    n.step(new HeartbeatRequest(3, 1, 2, 0, 0));
    assertEquals(Role.FOLLOWER, n.role());
    assertEquals(3, n.leaderId());
    assertEquals(2, n.term());
  }

  /**
   * 5.2: a split vote (two candidates of one term, two votes each of four) elects nobody, and the
   * randomized timeouts then elect exactly one leader in a later term.
   */
  @Test
  void s5_2_splitVoteResolves() {
    TestNetwork net = new TestNetwork(4, 4);
    net.dropIf(m -> m instanceof VoteRequest v && !v.preVote());
    net.dropIf(m -> m instanceof VoteRequest v && v.from() == 2 && v.to() == 1);
    net.tickUntil(List.of(1), () -> net.node(1).role() == Role.CANDIDATE, 4 * ELECTION);
    net.tickUntil(List.of(2), () -> net.node(2).role() == Role.CANDIDATE, 4 * ELECTION);
    assertEquals(1, net.node(1).term());
    assertEquals(1, net.node(2).term());
    List<Message> held = new ArrayList<>(net.dropped());
    net.recover();
    for (Message m : held) {
      if (m instanceof VoteRequest v
          && !v.preVote()
          && ((v.from() == 1 && v.to() != 4) || (v.from() == 2 && v.to() != 3))) {
        net.send(m);
      }
    }
    net.settle();
    assertEquals(1, net.node(3).votedFor());
    assertEquals(2, net.node(4).votedFor());
    assertEquals(Role.CANDIDATE, net.node(1).role());
    assertEquals(Role.CANDIDATE, net.node(2).role());
    assertEquals(0, net.leader(), "nobody has three votes of four");

    net.tickAllUntil(() -> net.leader() != 0, 20 * ELECTION);
    int leader = net.leader();
    assertTrue(net.node(leader).term() > 1);
    for (int id : net.ids()) {
      if (id != leader) {
        assertEquals(Role.FOLLOWER, net.node(id).role());
      }
    }
  }

  // ================================================================ 5.3 replication

  /** 5.3: the leader appends a proposal, replicates it, commits it and everyone applies it. */
  @Test
  void s5_3_leaderReplicatesCommitsAndAllApply() {
    TestNetwork net = new TestNetwork(3, 5);
    net.elect(1);
    ProposeResult r = net.propose(1, "x");
    assertEquals(new ProposeResult.Accepted(1, 2, 2), r);
    assertEquals(2, net.node(1).commitIndex());
    for (int id : net.ids()) {
      assertEquals(Entry.command(1, 2, bytes("x")), net.node(id).entry(2));
      assertTrue(net.node(id).commitIndex() <= net.node(1).commitIndex());
    }
    net.heartbeat(1);
    for (int id : net.ids()) {
      assertEquals(2, net.node(id).commitIndex());
      assertEquals(List.of(Entry.noop(1, 1), Entry.command(1, 2, bytes("x"))), applied(net, id));
    }
    assertInstanceOf(ProposeResult.NotLeader.class, net.node(2).propose(List.of(bytes("y"))));
    assertEquals(
        1, ((ProposeResult.NotLeader) net.node(2).propose(List.of(bytes("y")))).leaderId());
  }

  /** 5.3: a follower rejects AppendEntries whose prevLogIndex/prevLogTerm it does not hold. */
  @Test
  void s5_3_followerRejectsMismatchedPrevLogEntry() {
    RaftNode n = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 1));
    n.step(append(2, 1, 2, 2, 2, 0, Entry.command(2, 3, bytes("x"))));
    n.step(append(2, 1, 2, 5, 2, 0, Entry.command(2, 6, bytes("y"))));
    Ready rd = drain(n);
    assertEquals(2, n.lastIndex(), "nothing appended after a mismatch");
    assertTrue(rd.entries().isEmpty());
    List<AppendEntriesResponse> resp = messagesOf(rd, AppendEntriesResponse.class);
    assertEquals(new AppendEntriesResponse(1, 2, 2, false, 2, 1, 1), resp.get(0), "term mismatch");
    assertEquals(new AppendEntriesResponse(1, 2, 2, false, 5, 0, 3), resp.get(1), "log too short");
  }

  /**
   * 5.3: an entry that conflicts with the leader's (same index, other term) is deleted with all
   * that follow it, and the leader's entries take their place; entries that already match are kept
   * even when a late, shorter AppendEntries arrives.
   */
  @Test
  void s5_3_conflictingSuffixIsTruncatedAndReplaced() {
    RaftNode n = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2, 2, 2));
    n.step(
        append(3, 1, 3, 1, 1, 0, Entry.command(3, 2, bytes("a")), Entry.command(3, 3, bytes("b"))));
    assertEquals(3, n.lastIndex(), "index 4 of term 2 followed the conflict and is gone");
    assertEquals(3, n.entry(2).term());
    assertEquals(3, n.entry(3).term());
    Ready rd = drain(n);
    assertEquals(
        List.of(Entry.command(3, 2, bytes("a")), Entry.command(3, 3, bytes("b"))), rd.entries());
    assertEquals(3, only(messagesOf(rd, AppendEntriesResponse.class)).index());

    n.step(append(3, 1, 3, 1, 1, 0, Entry.command(3, 2, bytes("a"))));
    assertEquals(3, n.lastIndex(), "a late AppendEntries that matches truncates nothing");
    assertTrue(drain(n).entries().isEmpty());
  }

  /**
   * 5.3, fast backtracking: a follower holding 50 entries of a term the leader never had, or
   * missing 50 entries of one term, is brought in line after one rejection, not fifty.
   */
  @Test
  void s5_3_conflictTermBacktrackingNeedsFewRoundTrips() {
    // Follower 2 holds 50 entries of term 2 that lost to term 3.
    List<Entry> leaderLog = logOfTerms(1);
    List<Entry> staleLog = logOfTerms(1);
    for (int i = 0; i < 50; i++) {
      leaderLog = appendTerm(leaderLog, 3);
      staleLog = appendTerm(staleLog, 2);
    }
    assertFewRejections(leaderLog, staleLog, 3);

    // Follower 2 has a long term-2 suffix; the leader has only 10 of them, then 50 of term 3.
    List<Entry> leaderLog2 = logOfTerms(1);
    List<Entry> staleLog2 = logOfTerms(1);
    for (int i = 0; i < 60; i++) {
      leaderLog2 = appendTerm(leaderLog2, i < 10 ? 2 : 3);
      staleLog2 = appendTerm(staleLog2, 2);
    }
    assertFewRejections(leaderLog2, staleLog2, 3);
  }

  private static void assertFewRejections(List<Entry> leaderLog, List<Entry> staleLog, long term) {
    TestNetwork net = new TestNetwork(3, 6);
    seed(net, 1, new HardState(term, HardState.NO_VOTE), leaderLog);
    seed(net, 2, new HardState(term, HardState.NO_VOTE), staleLog);
    seed(net, 3, new HardState(term, HardState.NO_VOTE), leaderLog);
    net.elect(1);
    net.heartbeat(1);
    long rejections =
        net.delivered().stream()
            .filter(m -> m instanceof AppendEntriesResponse a && a.from() == 2 && !a.success())
            .count();
    assertTrue(rejections >= 1, "the conflict was noticed");
    assertTrue(rejections <= 2, "backtracking took " + rejections + " rejections");
    assertEquals(net.store(1).entries, net.store(2).entries, "follower log now equals leader's");
    assertEquals(leaderLog.size() + 1, net.node(2).commitIndex());
  }

  /**
   * 5.3: a follower sets its commit index to min(leaderCommit, index of last new entry): never past
   * what the leader has committed, nor past what this AppendEntries proved it holds.
   */
  @Test
  void s5_3_followerCommitBoundedByLeaderCommitAndMatchedLog() {
    RaftNode n = rawNode(1, 3, new HardState(1, HardState.NO_VOTE), logOfTerms(1, 1, 1));
    // Index 3 is held but not proven to match the leader's log: commit stops at the last new entry.
    n.step(append(2, 1, 1, 0, 0, 9, Entry.noop(1, 1)));
    assertEquals(1, n.commitIndex());
    n.step(append(2, 1, 1, 1, 1, 1, Entry.command(1, 2, bytes("x"))));
    assertEquals(1, n.commitIndex(), "never past the leader's commit");
    n.step(new HeartbeatRequest(2, 1, 1, 40, 0));
    assertTrue(n.commitIndex() <= n.lastIndex(), "never past the end of its log");
  }

  /**
   * 5.3: a follower whose log ends in a stale entry (2 of term 1, where the leader has 2 of term 2)
   * is never told by a heartbeat to commit past the point the leader knows it matches, so it never
   * applies the stale entry.
   */
  @Test
  void s5_3_heartbeatNeverCommitsFollowerPastItsMatch() {
    TestNetwork net = new TestNetwork(3, 19);
    seed(net, 1, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2));
    seed(net, 2, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 1));
    seed(net, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2));
    net.dropIf(m -> m instanceof AppendEntriesRequest a && a.to() == 2);
    net.elect(1);
    net.heartbeat(1);
    net.heartbeat(1);
    assertEquals(3, net.node(1).commitIndex());
    assertTrue(
        net.delivered().stream().anyMatch(m -> m instanceof HeartbeatRequest h && h.to() == 2));
    assertTrue(net.node(2).commitIndex() <= net.node(1).matchIndex(2));
    assertEquals(0, net.node(2).commitIndex());
    assertTrue(net.store(2).applied.isEmpty());

    net.recover();
    net.tick(1, VANILLA.retransmitTicks() + VANILLA.heartbeatTicks());
    assertEquals(net.store(1).entries, net.store(2).entries);
    assertEquals(3, net.node(2).commitIndex());
  }

  // ================================================================ 5.4.1 election restriction

  /** 5.4.1: no vote (or pre-vote) for a candidate whose last log term is older. */
  @Test
  void s5_4_1_voteRefusedToCandidateWithOlderLastTerm() {
    for (boolean preVote : new boolean[] {false, true}) {
      RaftNode n = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2));
      n.step(new VoteRequest(2, 1, 3, 10, 1, preVote));
      VoteResponse r = only(messagesOf(drain(n), VoteResponse.class));
      assertFalse(r.granted(), "longer log of an older term is less up-to-date");
      assertEquals(HardState.NO_VOTE, n.votedFor());
    }
  }

  /** 5.4.1: no vote for a candidate whose last term is equal but whose log is shorter. */
  @Test
  void s5_4_1_voteRefusedToCandidateWithShorterLogOfSameTerm() {
    for (boolean preVote : new boolean[] {false, true}) {
      RaftNode n = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2, 2));
      n.step(new VoteRequest(2, 1, 3, 2, 2, preVote));
      assertFalse(only(messagesOf(drain(n), VoteResponse.class)).granted());
      RaftNode m = rawNode(1, 3, new HardState(2, HardState.NO_VOTE), logOfTerms(1, 2, 2));
      m.step(new VoteRequest(2, 1, 3, 3, 2, preVote));
      assertTrue(only(messagesOf(drain(m), VoteResponse.class)).granted(), "equal logs: grant");
    }
  }

  // ================================================================ 5.4.2 commit rule

  /**
   * 5.4.2, Figure 8 (shifted by the no-op each leader appends): an entry of an older term stored on
   * a majority is not committed by counting replicas, and indeed a later leader may overwrite it.
   */
  @Test
  void s5_4_2_figure8_oldTermEntryOnMajorityIsNotCommitted() {
    TestNetwork net = new TestNetwork(5, 7);
    net.elect(1);
    net.heartbeat(1);
    // (a) S1 leads term 1 and replicates index 2 to S2 only.
    net.isolate(3);
    net.isolate(4);
    net.isolate(5);
    net.propose(1, "a");
    assertEquals(1, net.node(2).entry(2).term());
    assertEquals(1, net.node(1).commitIndex());

    // (b) S1 crashes; S5 wins term 2 with the votes of S3 and S4; its no-op reaches no one.
    net.crash(1);
    net.recover();
    net.isolate(2);
    net.dropIf(m -> m instanceof AppendEntriesRequest a && a.from() == 5 && !a.entries().isEmpty());
    net.restart(3);
    net.restart(4);
    net.elect(5);
    assertEquals(2, net.node(5).term());
    assertEquals(Entry.noop(2, 2), net.node(5).entry(2));

    // (c) S5 crashes; S1 restarts and wins term 3 with S2, S3, S4; it replicates index 2 (term 1)
    // to S3 and S4, but its own no-op of term 3 reaches no one.
    net.crash(5);
    net.recover();
    for (int id : List.of(1, 2, 3, 4)) {
      net.restart(id);
    }
    net.dropIf(
        m ->
            m instanceof AppendEntriesRequest a
                && a.from() == 1
                && a.entries().stream().anyMatch(e -> e.term() == 3)
                && net.node(a.to()).lastIndex() >= 2);
    net.elect(1);
    assertEquals(3, net.node(1).term());
    for (int id : List.of(1, 2, 3, 4)) {
      assertEquals(1, net.node(id).entry(2).term(), "index 2 of term 1 is on node " + id);
    }
    assertEquals(2, net.node(1).matchIndex(3));
    assertEquals(2, net.node(1).matchIndex(4));
    assertTrue(net.node(1).commitIndex() < 2, "an old-term entry was committed by counting");

    // (d) S1 crashes; S5 wins term 4 (its last term 2 beats term 1) and overwrites index 2.
    net.crash(1);
    net.recover();
    for (int id : List.of(2, 3, 4, 5)) {
      net.restart(id);
    }
    net.elect(5);
    net.heartbeat(5);
    for (int id : List.of(2, 3, 4, 5)) {
      assertEquals(Entry.noop(2, 2), net.node(id).entry(2), "node " + id);
      assertEquals(3, net.node(id).commitIndex());
      assertFalse(applied(net, id).contains(Entry.command(1, 2, bytes("a"))));
    }
  }

  /**
   * 5.4.2 and 8: entries of an earlier term that a new leader finds on a majority are committed
   * only when its no-op of the current term is, and then at once.
   */
  @Test
  void s5_4_2_noopOfNewLeaderCommitsEarlierEntries() {
    TestNetwork net = new TestNetwork(3, 8);
    net.elect(1);
    net.heartbeat(1);
    net.dropIf(m -> m instanceof AppendEntriesResponse a && a.to() == 1);
    net.propose(1, "x");
    assertEquals(2, net.node(2).lastIndex());
    assertEquals(2, net.node(3).lastIndex());
    assertEquals(1, net.node(1).commitIndex(), "no acknowledgment reached the leader");

    net.crash(1);
    net.recover();
    net.restart(3);
    net.dropIf(m -> m instanceof AppendEntriesResponse a && a.to() == 2);
    net.elect(2);
    assertEquals(Entry.noop(2, 3), net.node(2).entry(3));
    assertEquals(Entry.command(1, 2, bytes("x")), net.node(3).entry(2), "x is on every live node");
    assertEquals(1, net.node(2).commitIndex(), "but not committed before the no-op is");

    net.recover();
    net.tick(2, VANILLA.retransmitTicks() + VANILLA.heartbeatTicks());
    assertEquals(3, net.node(2).commitIndex());
    assertEquals(
        List.of(Entry.noop(1, 1), Entry.command(1, 2, bytes("x")), Entry.noop(2, 3)),
        applied(net, 2));
  }

  // ================================================================ duplicates

  /**
   * 5.5 (requests may be duplicated): an acknowledgment delivered three times is one replica. Five
   * nodes, one follower acknowledges: leader plus one is not a majority.
   */
  @Test
  void s5_5_duplicatedAppendEntriesResponseCountsOnce() {
    TestNetwork net = new TestNetwork(5, 9);
    net.elect(1);
    net.heartbeat(1);
    net.drop(1, 3);
    net.drop(1, 4);
    net.drop(1, 5);
    net.propose(1, "x");
    AppendEntriesResponse ack =
        lastOf(net.delivered(), AppendEntriesResponse.class, a -> a.from() == 2 && a.success());
    assertEquals(2, ack.index());
    net.send(ack);
    net.send(ack);
    net.settle();
    assertEquals(1, net.node(1).commitIndex(), "one follower counted more than once");

    net.recover();
    net.tick(1, VANILLA.retransmitTicks() + VANILLA.heartbeatTicks());
    assertEquals(2, net.node(1).commitIndex(), "with the others back, it commits");
  }

  // ================================================================ durability contract

  /** Ready contract: a lone leader's entries count toward commit only once advanced (durable). */
  @Test
  void durability_singleNodeLeaderCommitsOnlyAfterAdvance() {
    RaftNode n = rawNode(1, 1, HardState.INITIAL, List.of());
    ticksUntilCampaign(n);
    assertEquals(Role.LEADER, n.role());
    Ready rd = n.ready();
    assertEquals(List.of(Entry.noop(1, 1)), rd.entries());
    assertEquals(new HardState(1, 1), rd.hardState());
    assertEquals(0, n.commitIndex(), "not durable yet");
    n.advance(rd);
    assertEquals(1, n.commitIndex());
    assertEquals(List.of(Entry.noop(1, 1)), drain(n).committedEntries());

    n.propose(List.of(bytes("x")));
    Ready rd2 = n.ready();
    assertTrue(rd2.committedEntries().isEmpty());
    assertEquals(1, n.commitIndex());
    n.advance(rd2);
    assertEquals(2, n.commitIndex());
    assertEquals(List.of(Entry.command(1, 2, bytes("x"))), drain(n).committedEntries());
  }

  /**
   * Ready contract, three nodes: with the leader's write not yet acknowledged, one follower's
   * acknowledgment is not a majority; advancing the leader's Ready completes it.
   */
  @Test
  void durability_threeNodeLeaderCountsItselfOnlyAfterAdvance() {
    TestNetwork net = new TestNetwork(3, 10);
    net.elect(1);
    net.heartbeat(1);
    net.drop(1, 3);
    RaftNode leader = net.node(1);
    leader.propose(List.of(bytes("x")));
    Ready rd = leader.ready();
    assertEquals(1, rd.entries().size());
    for (Message m : allMessages(rd)) {
      net.send(m);
    }
    net.settle();
    assertEquals(2, leader.matchIndex(2), "follower 2 acknowledged");
    assertEquals(1, leader.commitIndex(), "the leader's own unpersisted entry was counted");
    net.store(1).persist(rd.hardState(), rd.entries());
    leader.advance(rd);
    assertEquals(2, leader.commitIndex());
  }

  /**
   * Ready contract: what a message depends on is in the same Ready as the message: the vote with
   * the granted VoteResponse, the appended entries with their acknowledgment.
   */
  @Test
  void durability_voteAndEntriesPersistedInSameReadyAsTheirMessages() {
    RaftNode n = rawNode(1, 3, HardState.INITIAL, List.of());
    n.step(new VoteRequest(2, 1, 1, 0, 0, false));
    Ready vote = drain(n);
    assertEquals(new HardState(1, 2), vote.hardState());
    assertTrue(only(messagesOf(vote, VoteResponse.class)).granted());

    n.step(append(2, 1, 1, 0, 0, 0, Entry.noop(1, 1)));
    Ready append = drain(n);
    assertEquals(List.of(Entry.noop(1, 1)), append.entries());
    assertTrue(only(messagesOf(append, AppendEntriesResponse.class)).success());
    assertEquals(1, n.stableIndex());
  }

  /**
   * Ready contract: a node stepped while a Ready is outstanding puts what happened since into the
   * next Ready; nothing is lost or handed out twice.
   */
  @Test
  void durability_stepWhileReadyOutstandingGoesIntoNextReady() {
    RaftNode n = rawNode(1, 3, HardState.INITIAL, List.of());
    n.step(append(2, 1, 1, 0, 0, 0, Entry.noop(1, 1)));
    Ready first = n.ready();
    assertFalse(n.hasReady(), "one Ready at a time");
    n.step(append(2, 1, 1, 1, 1, 1, Entry.command(1, 2, bytes("x"))));
    n.advance(first);
    Ready second = drain(n);
    assertNull(second.hardState(), "the hard state was handed out already");
    assertEquals(List.of(Entry.command(1, 2, bytes("x"))), second.entries());
    assertEquals(List.of(Entry.noop(1, 1)), second.committedEntries());
    assertFalse(n.hasReady());
  }

  // ================================================================ apply order

  /** 5.3 / Figure 2: every node applies each committed entry once, in index order. */
  @Test
  void apply_committedEntriesComeOutInOrderOnceAcrossManyReadies() {
    TestNetwork net = new TestNetwork(3, 11);
    net.elect(1);
    List<Entry> expected = new ArrayList<>(List.of(Entry.noop(1, 1)));
    for (int i = 0; i < 40; i++) {
      if (i == 10) {
        net.isolate(3);
      }
      if (i == 25) {
        net.recover();
      }
      String c = "c" + i;
      net.propose(1, c);
      expected.add(Entry.command(1, expected.size() + 1, bytes(c)));
      if (i % 4 == 0) {
        net.heartbeat(1);
      }
    }
    net.tickAllUntil(
        () -> net.ids().stream().allMatch(id -> net.store(id).applied.size() == expected.size()),
        400);
    for (int id : net.ids()) {
      assertEquals(expected, applied(net, id), "node " + id);
    }
  }

  // ================================================================ pre-vote, check-quorum

  /**
   * Thesis 9.6 (pre-vote): a node cut off for a long time does not raise its term; rejoining, it
   * neither raises anyone's term nor deposes the healthy leader.
   */
  @Test
  void t9_6_partitionedNodeRejoiningDoesNotDisruptLeader() {
    TestNetwork net = new TestNetwork(3, 12);
    net.elect(1);
    net.heartbeat(1);
    long term = net.node(1).term();
    net.isolate(3);
    for (int t = 0; t < 10 * ELECTION; t++) {
      net.tickAll();
    }
    assertEquals(term, net.node(3).term(), "pre-votes alone never raise the term");
    assertTrue(
        net.dropped().stream().anyMatch(m -> m instanceof VoteRequest v && v.from() == 3),
        "node 3 did try to campaign");
    net.propose(1, "while-away");

    net.recover();
    for (int t = 0; t < 10 * ELECTION; t++) {
      net.tickAll();
    }
    assertEquals(1, net.leader());
    for (int id : net.ids()) {
      assertEquals(term, net.node(id).term(), "node " + id);
    }
    assertEquals(1, net.node(3).leaderId());
    assertEquals(net.node(1).lastIndex(), net.node(3).lastIndex(), "node 3 caught up");
  }

  /**
   * Thesis 6.2 (check-quorum): a leader cut off from the majority steps down within about two
   * election timeouts and then refuses proposals; a healthy leader keeps its role.
   */
  @Test
  void t6_2_isolatedLeaderStepsDownAndRefusesProposals() {
    TestNetwork net = new TestNetwork(3, 13);
    net.elect(1);
    net.heartbeat(1);
    for (int t = 0; t < 10 * ELECTION; t++) {
      net.tickAll();
    }
    assertEquals(1, net.leader(), "a healthy leader is not deposed");
    assertEquals(1, net.node(1).term());

    net.isolate(1);
    int ticks = net.tickUntil(List.of(1), () -> net.node(1).role() != Role.LEADER, 4 * ELECTION);
    assertTrue(ticks <= 2 * ELECTION, "stepped down only after " + ticks + " ticks");
    assertEquals(Role.FOLLOWER, net.node(1).role());
    assertEquals(1, net.node(1).term(), "stepping down does not raise the term");
    assertEquals(
        new ProposeResult.NotLeader(0), net.node(1).propose(List.of(bytes("x"))), "no leader");
  }

  /**
   * Thesis 4.2.3 (with check-quorum): a follower that heard from a leader within the minimum
   * election timeout ignores vote and pre-vote requests; past it, it votes.
   */
  @Test
  void t4_2_3_followerWithLiveLeaderIgnoresVoteRequests() {
    TestNetwork net = new TestNetwork(3, 14);
    net.elect(1);
    net.heartbeat(1);
    net.isolate(2);
    int before = net.dropped().size();
    net.node(2).step(new VoteRequest(3, 2, 5, 9, 1, true));
    net.node(2).step(new VoteRequest(3, 2, 5, 9, 1, false));
    net.settle();
    assertEquals(1, net.node(2).term());
    assertEquals(1, net.node(2).votedFor());
    assertEquals(1, net.node(2).leaderId());
    assertTrue(
        net.dropped().subList(before, net.dropped().size()).stream()
            .noneMatch(m -> m instanceof VoteResponse),
        "no answer at all");

    net.tick(2, ELECTION);
    net.node(2).step(new VoteRequest(3, 2, 5, 9, 1, false));
    net.settle();
    assertEquals(5, net.node(2).term());
    assertEquals(3, net.node(2).votedFor(), "the lease has run out: it votes");
  }

  // ================================================================ ReadIndex

  /**
   * Thesis 6.4 (ReadIndex): a read yields a ReadState only once a majority answered a heartbeat
   * sent after it; one follower answering twice is still one.
   */
  @Test
  void t6_4_readIndexNeedsHeartbeatFromMajority() {
    TestNetwork net = new TestNetwork(5, 15);
    net.elect(1);
    net.heartbeat(1);
    assertEquals(1, net.node(1).commitIndex());
    net.dropIf(m -> m instanceof HeartbeatResponse h && h.from() >= 3);
    assertTrue(net.node(1).readIndex(7));
    net.settle();
    assertTrue(net.store(1).readStates.isEmpty(), "leader and one follower are not a majority");
    HeartbeatResponse fromTwo =
        lastOf(net.delivered(), HeartbeatResponse.class, h -> h.from() == 2 && h.readRound() > 0);
    net.send(fromTwo);
    net.send(fromTwo);
    net.settle();
    assertTrue(net.store(1).readStates.isEmpty(), "a duplicated answer counted twice");

    net.recover();
    net.send(
        lastOf(net.dropped(), HeartbeatResponse.class, h -> h.from() == 3 && h.readRound() > 0));
    net.settle();
    assertEquals(List.of(new ReadState(7, 1)), net.store(1).readStates);
  }

  /**
   * Thesis 6.4: a new leader that has not yet committed an entry of its term may lag the cluster's
   * commit index, so it holds reads until its no-op commits, then answers at the new commit index.
   */
  @Test
  void t6_4_newLeaderDefersReadsUntilNoopCommits() {
    TestNetwork net = new TestNetwork(3, 16);
    net.dropType(AppendEntriesResponse.class);
    net.elect(1);
    assertEquals(0, net.node(1).commitIndex());
    assertTrue(net.node(1).readIndex(3));
    net.tick(1, 2 * VANILLA.heartbeatTicks());
    assertTrue(
        net.delivered().stream().anyMatch(m -> m instanceof HeartbeatResponse),
        "heartbeats were answered");
    assertTrue(net.store(1).readStates.isEmpty(), "read answered before the no-op committed");

    net.recover();
    net.tick(1, VANILLA.retransmitTicks());
    assertEquals(1, net.node(1).commitIndex());
    assertEquals(List.of(new ReadState(3, 1)), net.store(1).readStates);
  }

  /** Thesis 6.4: a leader cut off from the majority never yields a ReadState. */
  @Test
  void t6_4_isolatedLeaderNeverAnswersReads() {
    TestNetwork net = new TestNetwork(3, 17);
    net.elect(1);
    net.heartbeat(1);
    net.isolate(1);
    assertTrue(net.node(1).readIndex(9));
    net.tickUntil(List.of(1), () -> net.node(1).role() != Role.LEADER, 4 * ELECTION);
    net.recover();
    net.tick(1, 3 * ELECTION);
    assertTrue(net.store(1).readStates.isEmpty());
    assertFalse(net.node(1).readIndex(10), "a follower refuses reads");
    assertFalse(net.node(2).readIndex(11), "a follower refuses reads");
  }

  // ================================================================ restart

  /** Figure 2 (persistent state): a node restarted from its store keeps term, vote and log. */
  @Test
  void restart_keepsTermVoteAndLog() {
    TestNetwork net = new TestNetwork(3, 18);
    net.elect(1);
    net.propose(1, "x");
    net.propose(1, "y");
    net.heartbeat(1);
    RaftNode before = net.node(2);
    List<Entry> log = new ArrayList<>();
    for (long i = 1; i <= before.lastIndex(); i++) {
      log.add(before.entry(i));
    }
    net.restart(2);
    RaftNode after = net.node(2);
    assertEquals(before.term(), after.term());
    assertEquals(1, after.votedFor());
    assertEquals(before.lastIndex(), after.lastIndex());
    for (long i = 1; i <= after.lastIndex(); i++) {
      assertEquals(log.get((int) i - 1), after.entry(i));
    }
    assertEquals(Role.FOLLOWER, after.role());
    // The remembered vote still binds: no second vote in term 1.
    after.step(new VoteRequest(3, 2, 1, 3, 1, false));
    assertEquals(1, after.votedFor());
    net.settle();
    net.heartbeat(1);
    assertEquals(3, after.commitIndex());
    assertEquals(3, applied(net, 2).size(), "the restarted node applies its log again");
  }

  // ================================================================ helpers

  private static SplittableRandom rng(long seed) {
    return new SplittableRandom(seed);
  }

  private static RaftNode rawNode(int id, int size, HardState hs, List<Entry> log) {
    List<Integer> voters = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      voters.add(i);
    }
    return new RaftNode(VANILLA, id, voters, hs, log, rng(id));
  }

  private static void seed(TestNetwork net, int id, HardState hs, List<Entry> log) {
    net.store(id).hardState = hs;
    net.store(id).entries.clear();
    net.store(id).entries.addAll(log);
    net.restart(id);
  }

  /** Ticks a follower until it starts campaigning; returns the ticks taken. */
  private static int ticksUntilCampaign(RaftNode n) {
    for (int t = 1; t <= 2 * ELECTION; t++) {
      n.tick();
      if (n.role() != Role.FOLLOWER) {
        return t;
      }
    }
    throw new AssertionError("no campaign in " + 2 * ELECTION + " ticks: " + n);
  }

  /** Ticks a pre-candidate until it sends a new round of pre-votes; returns the ticks taken. */
  private static int ticksUntilRoleChangeOrRecampaign(RaftNode n) {
    for (int t = 1; t <= 2 * ELECTION; t++) {
      n.tick();
      if (n.hasReady() && !messagesOf(drain(n), VoteRequest.class).isEmpty()) {
        return t;
      }
    }
    throw new AssertionError("no new campaign in " + 2 * ELECTION + " ticks: " + n);
  }

  private static Ready drain(RaftNode n) {
    Ready rd = n.ready();
    n.advance(rd);
    return rd;
  }

  private static List<Message> allMessages(Ready rd) {
    List<Message> all = new ArrayList<>(rd.earlyMessages());
    all.addAll(rd.messages());
    return all;
  }

  private static <T extends Message> List<T> messagesOf(Ready rd, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Message m : allMessages(rd)) {
      if (type.isInstance(m)) {
        out.add(type.cast(m));
      }
    }
    return out;
  }

  private static <T extends Message> T lastOf(
      List<Message> messages, Class<T> type, java.util.function.Predicate<T> filter) {
    T found = null;
    for (Message m : messages) {
      if (type.isInstance(m) && filter.test(type.cast(m))) {
        found = type.cast(m);
      }
    }
    assertNotNull(found, "no such " + type.getSimpleName());
    return found;
  }

  private static Set<Integer> recipients(List<? extends Message> messages) {
    Set<Integer> out = new HashSet<>();
    for (Message m : messages) {
      out.add(m.to());
    }
    return out;
  }

  private static <T> T only(List<T> list) {
    assertEquals(1, list.size(), () -> "expected exactly one: " + list);
    return list.get(0);
  }

  private static AppendEntriesRequest append(
      int from, int to, long term, long prevIndex, long prevTerm, long commit, Entry... entries) {
    return new AppendEntriesRequest(from, to, term, prevIndex, prevTerm, List.of(entries), commit);
  }

  /** A log whose entry i + 1 is a command of terms[i]. */
  private static List<Entry> logOfTerms(long... terms) {
    List<Entry> log = new ArrayList<>();
    for (long t : terms) {
      log = appendTerm(log, t);
    }
    return log;
  }

  private static List<Entry> appendTerm(List<Entry> log, long term) {
    List<Entry> out = new ArrayList<>(log);
    out.add(Entry.command(term, out.size() + 1, bytes("e" + (out.size() + 1))));
    return out;
  }

  private static List<Entry> applied(TestNetwork net, int id) {
    return net.store(id).applied;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
