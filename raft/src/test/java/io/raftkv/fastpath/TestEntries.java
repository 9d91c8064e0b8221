package io.raftkv.fastpath;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;

/** Small builders of nilext entries for the fast-path tests. */
final class TestEntries {
  private TestEntries() {}

  /** A put of {@code key} to a value naming the update, tagged with {@code term}. */
  static NilextEntry put(long term, long clientId, long seq, String key) {
    return NilextEntry.of(
        term,
        new KvRequest(
            clientId, seq, new KvCommand.Put(Bytes.utf8(key), Bytes.utf8(clientId + "/" + seq))));
  }

  static NilextId id(long clientId, long seq) {
    return new NilextId(clientId, seq);
  }
}
