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
}
