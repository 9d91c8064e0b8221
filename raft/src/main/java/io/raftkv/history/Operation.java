package io.raftkv.history;

import java.util.Objects;

/**
 * One client operation on one key, as observed by the client: when it was invoked, when its answer
 * arrived, and what the answer was. Times are {@code System.nanoTime()} values of one machine (or
 * virtual times of the simulator); only their order matters.
 *
 * <p>Meaning of the fields by type:
 *
 * <ul>
 *   <li>{@code PUT}: {@code value} is the value written; {@code ok} is true.
 *   <li>{@code GET}: {@code value} is the value read, null when the key was absent; {@code ok} is
 *       true.
 *   <li>{@code CAS}: sets {@code value} if the current value equals {@code expected} (null means
 *       "absent"); {@code ok} says whether it swapped.
 *   <li>{@code DELETE}: makes the key absent; {@code value} and {@code expected} are null; {@code
 *       ok} is true.
 * </ul>
 *
 * <p>A put, get or delete that failed is not recorded: a failure with no definite answer (a
 * timeout, a lost connection) is recorded as an unknown outcome instead. An operation with an
 * unknown outcome has {@code unknown} true and {@code returnNanos} 0; it may have taken effect at
 * any single point after its call, or never. For such an operation {@code ok} carries no meaning
 * and is stored as false, and the value of an unknown get is stored as null.
 *
 * @param client the client that issued the operation; one client has one operation outstanding
 * @param type the kind of operation
 * @param key the key
 * @param value put: written; get: read (null = absent); cas: the new value; delete: null
 * @param expected cas: the value compared with (null = absent); otherwise null
 * @param callNanos when the client invoked the operation
 * @param returnNanos when the client received the answer; 0 when the outcome is unknown
 * @param ok true for put, get and delete; for cas whether it swapped
 * @param unknown true if the client never learned the outcome
 */
public record Operation(
    int client,
    OpType type,
    String key,
    String value,
    String expected,
    long callNanos,
    long returnNanos,
    boolean ok,
    boolean unknown) {

  /** Validates the combination of fields; see the type's documentation. */
  public Operation {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    if (unknown) {
      ok = false;
      if (type == OpType.GET) {
        value = null;
      }
      if (returnNanos != 0) {
        throw new IllegalArgumentException(
            "an operation with an unknown outcome has return time 0, got " + returnNanos);
      }
    } else {
      if (returnNanos < callNanos) {
        throw new IllegalArgumentException(
            "return time " + returnNanos + " precedes call time " + callNanos);
      }
      if (!ok && type != OpType.CAS) {
        throw new IllegalArgumentException(
            "a failed "
                + type.jsonName()
                + " is not part of a history (record an unknown outcome instead)");
      }
    }
    switch (type) {
      case PUT -> {
        requireValue(value, type);
        requireNoExpected(expected, type);
      }
      case GET -> requireNoExpected(expected, type);
      case CAS -> requireValue(value, type);
      case DELETE -> {
        if (value != null) {
          throw new IllegalArgumentException("a delete has no value, got \"" + value + "\"");
        }
        requireNoExpected(expected, type);
      }
    }
  }

  private static void requireValue(String value, OpType type) {
    if (value == null) {
      throw new IllegalArgumentException("a " + type.jsonName() + " needs a value");
    }
  }

  private static void requireNoExpected(String expected, OpType type) {
    if (expected != null) {
      throw new IllegalArgumentException(
          "only a cas has an expected value, this "
              + type.jsonName()
              + " has \""
              + expected
              + "\"");
    }
  }

  /** A completed put of {@code value}. */
  public static Operation put(int client, String key, String value, long call, long ret) {
    return new Operation(client, OpType.PUT, key, value, null, call, ret, true, false);
  }

  /** A completed get that read {@code valueOrNull} (null: the key was absent). */
  public static Operation get(int client, String key, String valueOrNull, long call, long ret) {
    return new Operation(client, OpType.GET, key, valueOrNull, null, call, ret, true, false);
  }

  /** A completed cas from {@code expected} (null: absent) to {@code value}. */
  public static Operation cas(
      int client, String key, String expected, String value, boolean swapped, long call, long ret) {
    return new Operation(client, OpType.CAS, key, value, expected, call, ret, swapped, false);
  }

  /** A completed delete. */
  public static Operation delete(int client, String key, long call, long ret) {
    return new Operation(client, OpType.DELETE, key, null, null, call, ret, true, false);
  }

  /** A put whose outcome the client never learned. */
  public static Operation unknownPut(int client, String key, String value, long call) {
    return new Operation(client, OpType.PUT, key, value, null, call, 0, false, true);
  }

  /** A get whose answer never arrived; it constrains nothing. */
  public static Operation unknownGet(int client, String key, long call) {
    return new Operation(client, OpType.GET, key, null, null, call, 0, false, true);
  }

  /** A cas whose outcome the client never learned. */
  public static Operation unknownCas(
      int client, String key, String expected, String value, long call) {
    return new Operation(client, OpType.CAS, key, value, expected, call, 0, false, true);
  }

  /** A delete whose outcome the client never learned. */
  public static Operation unknownDelete(int client, String key, long call) {
    return new Operation(client, OpType.DELETE, key, null, null, call, 0, false, true);
  }

  /** This operation with its outcome unknown: same call, return time 0. */
  public Operation withUnknown() {
    return new Operation(client, type, key, value, expected, callNanos, 0, false, true);
  }

  /** A short human-readable form, e.g. {@code client 2: get(x) -> "1" [300, 420]}. */
  @Override
  public String toString() {
    String call =
        switch (type) {
          case PUT -> "put(" + key + ", " + quote(value) + ")";
          case GET -> "get(" + key + ")" + (unknown ? "" : " -> " + quote(value));
          case CAS ->
              "cas("
                  + key
                  + ", "
                  + quote(expected)
                  + " -> "
                  + quote(value)
                  + ")"
                  + (unknown ? "" : ok ? " swapped" : " not swapped");
          case DELETE -> "delete(" + key + ")";
        };
    String times =
        unknown ? "[" + callNanos + ", unknown]" : "[" + callNanos + ", " + returnNanos + "]";
    return "client " + client + ": " + call + " " + times;
  }

  static String quote(String value) {
    return value == null ? "absent" : "\"" + value + "\"";
  }
}
