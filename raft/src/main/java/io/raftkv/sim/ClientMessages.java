package io.raftkv.sim;

import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;

/** What simulated clients and nodes say to each other (the simulator's client protocol). */
final class ClientMessages {
  private ClientMessages() {}

  /** A client's request, sent to the node it believes leads. */
  record Request(int clientEndpoint, KvRequest request) {}

  /** The state machine's answer to (clientId, seq). */
  record Reply(long clientId, long seq, KvReply reply) {}

  /** The node is not the leader; {@code leaderHint} is the leader it knows of, or 0. */
  record NotLeader(long clientId, long seq, int leaderHint) {}

  /** The leader is recovering the durability logs (fast path): retry the same request later. */
  record Busy(long clientId, long seq) {}

  /**
   * A fast-path update sent to every node, tagged with the term the client believes current (0 at
   * first: every node refuses it, and its answer teaches the term).
   */
  record NilextRequest(int clientEndpoint, long term, KvRequest request) {}

  /**
   * A node's answer to a {@link NilextRequest}, sent only once what it accepted is durable.
   *
   * @param term the node's term when it took the update
   * @param leader whether it led that term
   * @param accepted whether its durability log holds the update
   * @param leaderId the leader it knew of, or 0
   */
  record NilextAck(
      long clientId,
      long seq,
      int nodeId,
      long term,
      boolean leader,
      boolean accepted,
      int leaderId) {}
}
