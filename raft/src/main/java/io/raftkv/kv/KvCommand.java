package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One key-value operation. Keys and values are never null; an empty {@link Bytes} is a valid key
 * and a valid value. Commands are immutable.
 *
 * <p>{@link #nilext()} marks the nil-externalizing updates (Skyros, SOSP 2021, section 3): put,
 * delete and multiPut return only an acknowledgment and expose no state, so the fast path may
 * complete them before they are ordered. Cas and reads externalize state and always take the
 * ordered path.
 */
public sealed interface KvCommand
    permits KvCommand.Put,
        KvCommand.Delete,
        KvCommand.Get,
        KvCommand.Cas,
        KvCommand.MultiPut,
        KvCommand.MultiGet {

  /** Whether the reply is only an acknowledgment (put, delete, multiPut). */
  boolean nilext();

  /** The keys this command reads or writes, in command order. */
  List<Bytes> keys();

  /** Sets {@code key} to {@code value}. Replies {@link KvReply.Ack}. */
  record Put(Bytes key, Bytes value) implements KvCommand {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean nilext() {
      return true;
    }

    @Override
    public List<Bytes> keys() {
      return List.of(key);
    }
  }

  /** Removes {@code key} if present. Replies {@link KvReply.Ack} either way. */
  record Delete(Bytes key) implements KvCommand {
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean nilext() {
      return true;
    }

    @Override
    public List<Bytes> keys() {
      return List.of(key);
    }
  }

  /** Reads {@code key}. Replies {@link KvReply.Value}. */
  record Get(Bytes key) implements KvCommand {
    public Get {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean nilext() {
      return false;
    }

    @Override
    public List<Bytes> keys() {
      return List.of(key);
    }
  }

  /**
   * Compare-and-set: if the current value of {@code key} equals {@code expected} ({@code null}: the
   * key must be absent), sets it to {@code value}. Replies {@link KvReply.CasResult} with the value
   * after the operation.
   */
  record Cas(Bytes key, Bytes expected, Bytes value) implements KvCommand {
    public Cas {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean nilext() {
      return false;
    }

    @Override
    public List<Bytes> keys() {
      return List.of(key);
    }
  }

  /**
   * Sets every key to its value atomically: all or none. A valid batch is non-empty and its keys
   * are distinct; the state machine answers an invalid one with {@link
   * KvReply.Code#INVALID_COMMAND} and applies none of it. The record itself accepts invalid batches
   * so that they can be encoded, replicated and rejected deterministically.
   */
  record MultiPut(List<KeyValue> entries) implements KvCommand {
    public MultiPut {
      entries = List.copyOf(entries);
    }

    @Override
    public boolean nilext() {
      return true;
    }

    @Override
    public List<Bytes> keys() {
      List<Bytes> keys = new ArrayList<>(entries.size());
      for (KeyValue kv : entries) {
        keys.add(kv.key());
      }
      return List.copyOf(keys);
    }
  }

  /**
   * Reads several keys at once, from one state. Replies {@link KvReply.Values}, one element per key
   * in the same order. Repeated keys and an empty list are allowed.
   */
  record MultiGet(List<Bytes> keys) implements KvCommand {
    public MultiGet {
      keys = List.copyOf(keys);
    }

    @Override
    public boolean nilext() {
      return false;
    }
  }
}
