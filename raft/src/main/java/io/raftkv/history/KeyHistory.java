package io.raftkv.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One key's operations prepared for {@link WglSearch}: sorted by call time, with the time by which
 * each must have taken effect, and with the unknown-outcome operations that cannot matter left out.
 * Three facts about unknown outcomes keep the search small; each preserves the verdict.
 *
 * <ul>
 *   <li><b>Unknown gets</b> constrain nothing and are left out.
 *   <li><b>A seen write is required.</b> If a completed get reads (or a successful cas expects) a
 *       value that only one operation writes, and that operation's outcome is unknown, it must have
 *       taken effect before the earliest such observer returned. It gets that return time as a
 *       deadline and is searched like a completed operation.
 *   <li><b>Interchangeable writes are used in call order.</b> Two optional unknown writes with the
 *       same effect can swap places in any linearization, so the search only lets one take effect
 *       once every earlier-called one of its class has. Values that nothing observes (no completed
 *       get reads them, no cas expects them) all behave alike, so writes of them form one class.
 *       When the key has no failed cas, such writes are left out entirely: wherever one took
 *       effect, only blind writes can follow it before the value changes again.
 * </ul>
 */
final class KeyHistory {
  /** The deadline of an optional operation, which may also never take effect. */
  static final long NEVER = Long.MAX_VALUE;

  private final List<Operation> ops;
  private final long[] deadlines;
  private final int[] classPredecessors;
  private final int dropped;

  private KeyHistory(List<Operation> ops, long[] deadlines, int[] classPredecessors, int dropped) {
    this.ops = ops;
    this.deadlines = deadlines;
    this.classPredecessors = classPredecessors;
    this.dropped = dropped;
  }

  /** The effect of an optional unknown write, for grouping interchangeable ones. */
  private record EffectClass(OpType type, String expected, String value, boolean unobserved) {}

  /** Prepares {@code history}, the operations of one key in any order. */
  static KeyHistory of(List<Operation> history) {
    Set<String> observed = new HashSet<>();
    Map<String, Long> firstObserverReturn = new HashMap<>();
    Map<String, Integer> writers = new HashMap<>();
    writers.put(null, 1); // the initial state: the key starts absent
    boolean failedCas = false;
    for (Operation op : history) {
      if (op.type() == OpType.GET && !op.unknown()) {
        observed.add(op.value());
        firstObserverReturn.merge(op.value(), op.returnNanos(), Math::min);
      } else if (op.type() == OpType.CAS) {
        observed.add(op.expected());
        failedCas |= !op.ok() && !op.unknown();
        if (op.ok()) {
          firstObserverReturn.merge(op.expected(), op.returnNanos(), Math::min);
        }
      }
      if (op.type() != OpType.GET) {
        writers.merge(op.value(), 1, Integer::sum);
      }
    }
    List<Operation> ops = new ArrayList<>();
    for (Operation op : history) {
      boolean unobservedWrite = op.type() != OpType.GET && !observed.contains(op.value());
      if (!op.unknown() || (op.type() != OpType.GET && !(unobservedWrite && !failedCas))) {
        ops.add(op);
      }
    }
    ops.sort(Comparator.comparingLong(Operation::callNanos));
    long[] deadlines = new long[ops.size()];
    int[] classPredecessors = new int[ops.size()];
    Map<EffectClass, Integer> lastOfClass = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      classPredecessors[i] = -1;
      if (!op.unknown()) {
        deadlines[i] = op.returnNanos();
      } else if (writers.get(op.value()) == 1 && firstObserverReturn.containsKey(op.value())) {
        deadlines[i] = Math.max(op.callNanos(), firstObserverReturn.get(op.value()));
      } else {
        deadlines[i] = NEVER;
        Integer previous = lastOfClass.put(effectClass(op, observed), i);
        classPredecessors[i] = previous == null ? -1 : previous;
      }
    }
    return new KeyHistory(ops, deadlines, classPredecessors, history.size() - ops.size());
  }

  private static EffectClass effectClass(Operation op, Set<String> observed) {
    boolean unobserved = !observed.contains(op.value());
    String value = unobserved ? null : op.value();
    return switch (op.type()) {
      case PUT, DELETE -> new EffectClass(unobserved ? null : op.type(), null, value, unobserved);
      case CAS -> new EffectClass(OpType.CAS, op.expected(), value, unobserved);
      case GET -> throw new IllegalArgumentException("an unknown get has no effect: " + op);
    };
  }

  /** The operations the search needs, sorted by call time. */
  List<Operation> ops() {
    return ops;
  }

  int size() {
    return ops.size();
  }

  Operation op(int i) {
    return ops.get(i);
  }

  /** When operation {@code i} must have taken effect, or {@link #NEVER}. */
  long deadline(int i) {
    return deadlines[i];
  }

  /** Whether operation {@code i} may be left out of a linearization. */
  boolean optional(int i) {
    return deadlines[i] == NEVER;
  }

  /**
   * The previously called optional operation with the same effect as {@code i}, which must take
   * effect first, or -1.
   */
  int classPredecessor(int i) {
    return classPredecessors[i];
  }

  /** How many unknown-outcome operations were left out because they cannot matter. */
  int dropped() {
    return dropped;
  }
}
