package io.raftkv.kv;

import java.util.List;

/** Commands shared by the state machine and codec tests. */
final class SampleCommands {
  private SampleCommands() {}

  /** One command of every update kind (everything but get and multiGet) on {@code key}. */
  static List<KvCommand> everyUpdate(Bytes key, Bytes value) {
    return List.of(
        new KvCommand.Put(key, value),
        new KvCommand.Delete(key),
        new KvCommand.Cas(key, null, value),
        new KvCommand.MultiPut(List.of(new KeyValue(key, value))));
  }
}
