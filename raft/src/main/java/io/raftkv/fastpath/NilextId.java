package io.raftkv.fastpath;

/**
 * The identity of a nilext update: the client session key of the request (Raft thesis 6.3). A
 * client reuses its {@code seq} on every retry, whether on the fast or the ordered path, so one
 * update has one identity in every durabilityLog and in the Raft log. Ordered by clientId, then
 * seq; the order is only a deterministic tie-break, it carries no protocol meaning.
 *
 * @param clientId the client's id
 * @param seq the request's sequence number, at least 1
 */
public record NilextId(long clientId, long seq) implements Comparable<NilextId> {
  public NilextId {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
  }

  @Override
  public int compareTo(NilextId o) {
    int c = Long.compare(clientId, o.clientId);
    return c != 0 ? c : Long.compare(seq, o.seq);
  }
}
