package io.raftkv.server;

import io.raftkv.core.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of one node's state, published by the node loop after every iteration so that other
 * threads (tests, metrics) can read it without touching the {@code RaftNode}.
 *
 * @param fsyncs fsyncs of the Raft log since the node started
 * @param durabilityFsyncs fsyncs of the fast path's durability log since the node started, its
 *     compactions' included (0 with the fast path off or a store that does not fsync)
 */
public record NodeStatus(
    int id,
    Role role,
    long term,
    int leaderId,
    long commitIndex,
    long appliedIndex,
    long lastIndex,
    String variant,
    String flags,
    String durability,
    long fsyncs,
    long leaseReads,
    long readIndexReads,
    long fastPathAccepted,
    int durabilityLogSize,
    long durabilityFsyncs) {

  /** The fields of a {@code StatusInfo} answer, in a fixed order. */
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("id", Integer.toString(id));
    f.put("role", role.name());
    f.put("term", Long.toString(term));
    f.put("leader", Integer.toString(leaderId));
    f.put("commitIndex", Long.toString(commitIndex));
    f.put("appliedIndex", Long.toString(appliedIndex));
    f.put("lastIndex", Long.toString(lastIndex));
    f.put("variant", variant);
    f.put("flags", flags);
    f.put("durability", durability);
    f.put("fsyncs", Long.toString(fsyncs));
    f.put("leaseReads", Long.toString(leaseReads));
    f.put("readIndexReads", Long.toString(readIndexReads));
    f.put("fastPathAccepted", Long.toString(fastPathAccepted));
    f.put("durabilityLog", Integer.toString(durabilityLogSize));
    f.put("durabilityFsyncs", Long.toString(durabilityFsyncs));
    return f;
  }
}
