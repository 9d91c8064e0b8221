package io.raftkv.history;

import java.util.Locale;

/**
 * The kind of a key-value operation in a history. Each has a lower-case name in the JSON history
 * format ({@code "put"}, {@code "get"}, {@code "cas"}, {@code "delete"}).
 */
public enum OpType {
  /** Sets the key to a value; returns only an acknowledgment. */
  PUT,
  /** Reads the key; the result is its value, or null when the key is absent. */
  GET,
  /** Compare-and-set: sets the value only if the current value equals the expected one. */
  CAS,
  /** Makes the key absent; returns only an acknowledgment. */
  DELETE;

  /** The name used in the JSON history format. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type with the given JSON name.
   *
   * @throws IllegalArgumentException if the name is not one of put, get, cas, delete
   */
  public static OpType fromJsonName(String name) {
    for (OpType type : values()) {
      if (type.jsonName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "unknown op \"" + name + "\" (expected put, get, cas or delete)");
  }
}
