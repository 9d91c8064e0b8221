package io.raftkv.fastpath;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import io.raftkv.core.RaftNode;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.MalformedCommandException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which updates a new leader's recovery may skip (Skyros §4.6): those its state machine has applied
 * (the session's last seq covers them) and those in the not yet applied part of its Raft log. The
 * log suffix is decoded once per instance, on the first question, so a recovery over many entries
 * scans the log once. An instance answers for the moment it was made: make one per use.
 */
public final class OrderedUpdates implements Predicate<NilextId> {
  private final RaftNode raft;
  private final KvStateMachine kv;
  private Set<NilextId> inLog;

  private OrderedUpdates(RaftNode raft, KvStateMachine kv) {
    this.raft = raft;
    this.kv = kv;
  }

  /** The predicate over {@code raft}'s log and {@code kv}'s sessions as they are now. */
  public static OrderedUpdates of(RaftNode raft, KvStateMachine kv) {
    return new OrderedUpdates(raft, kv);
  }

  @Override
  public boolean test(NilextId id) {
    if (kv.lastSeq(id.clientId()) >= id.seq()) {
      return true;
    }
    if (inLog == null) {
      inLog = unappliedRequests();
    }
    return inLog.contains(id);
  }

  private Set<NilextId> unappliedRequests() {
    Set<NilextId> ids = new HashSet<>();
    for (long i = kv.appliedIndex() + 1; i <= raft.lastIndex(); i++) {
      Entry e = raft.entry(i);
      if (e == null || e.type() != EntryType.COMMAND) {
        continue;
      }
      try {
        KvRequest q = KvCodec.decode(e.data());
        if (q.seq() > 0) {
          ids.add(new NilextId(q.clientId(), q.seq()));
        }
      } catch (MalformedCommandException notARequest) {
        // Nothing this node could have ordered.
      }
    }
    return ids;
  }
}
