package io.raftkv.kv;

import java.util.Objects;

/** One key and its value, both non-null. */
public record KeyValue(Bytes key, Bytes value) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
