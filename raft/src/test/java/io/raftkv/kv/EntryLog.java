package io.raftkv.kv;

import io.raftkv.core.Entry;

/** Hands out log entries with consecutive indexes starting at 1, as a committed log would. */
final class EntryLog {
  private long index;

  Entry command(long clientId, long seq, KvCommand command) {
    return raw(KvCodec.encode(new KvRequest(clientId, seq, command)));
  }

  Entry raw(byte[] data) {
    return Entry.command(1, ++index, data);
  }

  Entry noop() {
    return Entry.noop(1, ++index);
  }
}
