package io.raftkv.history;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequential specification of one key, over interned values: state 0 is "absent", state {@code
 * i > 0} is the i-th distinct value of the key's history. Interning makes a state an int, so the
 * search can store and compare it cheaply.
 */
final class KeyModel {
  static final int ABSENT = 0;
  static final int REJECTED = -1;

  private final List<Operation> ops;
  private final int[] valueIds;
  private final int[] expectedIds;
  private final Map<Integer, String> valuesById = new HashMap<>();
  private final Set<Integer> written = new HashSet<>();

  KeyModel(List<Operation> ops) {
    this.ops = ops;
    Map<String, Integer> ids = new HashMap<>();
    valueIds = new int[ops.size()];
    expectedIds = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      valueIds[i] = intern(op.value(), ids);
      expectedIds[i] = intern(op.expected(), ids);
      if (op.type() != OpType.GET) {
        written.add(valueIds[i]);
      }
    }
  }

  private int intern(String value, Map<String, Integer> ids) {
    if (value == null) {
      return ABSENT;
    }
    return ids.computeIfAbsent(
        value,
        v -> {
          int id = ids.size() + 1;
          valuesById.put(id, v);
          return id;
        });
  }

  /**
   * The state after operation {@code op} takes effect in {@code state}, or {@link #REJECTED} if its
   * recorded answer is impossible there. An unknown cas is accepted only where it swaps: not taking
   * effect at all is expressed by leaving it out of the order.
   */
  int step(int state, int op) {
    Operation o = ops.get(op);
    return switch (o.type()) {
      case PUT -> valueIds[op];
      case DELETE -> ABSENT;
      case GET -> state == valueIds[op] ? state : REJECTED;
      case CAS -> {
        boolean matches = state == expectedIds[op];
        if (o.unknown() || o.ok()) {
          yield matches ? valueIds[op] : REJECTED;
        }
        yield matches ? REJECTED : state;
      }
    };
  }

  /** Why {@code op} cannot take effect in {@code state}, for a rejected step. */
  String rejection(int state, int op) {
    Operation o = ops.get(op);
    String current = describe(state);
    return switch (o.type()) {
      case GET ->
          "it reads "
              + Operation.quote(o.value())
              + (written.contains(valueIds[op]) ? "" : ", which no operation on the key writes,")
              + " but the value is "
              + current;
      case CAS ->
          o.ok() || o.unknown()
              ? "it swaps from " + Operation.quote(o.expected()) + " but the value is " + current
              : "it did not swap, yet the value is " + current + ", which it expected";
      case PUT, DELETE -> "it always fits";
    };
  }

  /** The value of a state, quoted, or "absent". */
  String describe(int state) {
    return Operation.quote(state == ABSENT ? null : valuesById.get(state));
  }
}
