package io.raftkv.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the sub-history of one key: drops the operations that cannot matter, runs {@link
 * WglSearch}, and on failure explains where the search got stuck.
 */
final class KeyChecker {
  private final String key;
  private final List<Operation> ops;
  private final int dropped;

  /**
   * @param key the key
   * @param history the operations on that key, in any order
   */
  KeyChecker(String key, List<Operation> history) {
    this.key = key;
    List<Operation> relevant = relevant(history);
    relevant.sort(Comparator.comparingLong(Operation::callNanos));
    this.ops = relevant;
    this.dropped = history.size() - relevant.size();
  }

  /**
   * The operations the search needs. An unknown get constrains nothing. An unknown write of a value
   * that nothing observes (no get reads it, no cas expects it) can always be left out when the key
   * has no failed cas: wherever it took effect, only blind writes can follow it before the value
   * changes again, so the order without it is valid too. Leaving such writes out keeps the search
   * from trying every point where each of them might have taken effect.
   */
  private static List<Operation> relevant(List<Operation> history) {
    Set<String> observed = new HashSet<>();
    boolean failedCas = false;
    for (Operation op : history) {
      if (op.type() == OpType.GET && !op.unknown()) {
        observed.add(op.value());
      } else if (op.type() == OpType.CAS) {
        observed.add(op.expected());
        failedCas |= !op.ok() && !op.unknown();
      }
    }
    List<Operation> relevant = new ArrayList<>();
    for (Operation op : history) {
      boolean unobservedWrite =
          op.unknown() && op.type() != OpType.GET && !failedCas && !observed.contains(op.value());
      if (!(op.unknown() && op.type() == OpType.GET) && !unobservedWrite) {
        relevant.add(op);
      }
    }
    return relevant;
  }

  /**
   * Runs the check; see {@link LinearizabilityChecker#check(List, long)}.
   *
   * @return empty if the key's history is linearizable, else the failure
   */
  Optional<CheckResult> check(long maxSteps) {
    KeyModel model = new KeyModel(ops);
    WglSearch search = new WglSearch(ops, model);
    if (search.run(maxSteps)) {
      return Optional.empty();
    }
    return Optional.of(explain(model, search));
  }

  private CheckResult explain(KeyModel model, WglSearch search) {
    int[] order = search.furthest();
    BitSet done = new BitSet(ops.size());
    int state = KeyModel.ABSENT;
    int lastWrite = -1;
    for (int op : order) {
      Operation o = ops.get(op);
      if (o.type() != OpType.GET && (o.type() != OpType.CAS || o.ok() || o.unknown())) {
        lastWrite = op;
      }
      state = model.step(state, op);
      done.set(op);
    }
    int blocking = search.firstReturn(done);
    List<Operation> involved = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    text.append("Key \"")
        .append(key)
        .append("\" is not linearizable: no order of its ")
        .append(ops.size())
        .append(" operations respects both real time and the semantics of a register")
        .append(
            dropped > 0
                ? " (" + dropped + " unknown-outcome operations that nothing observes left out)"
                : "")
        .append(". The longest valid order found places ")
        .append(order.length)
        .append(" of them and leaves the value ")
        .append(model.describe(state));
    if (lastWrite >= 0) {
      involved.add(ops.get(lastWrite));
      text.append(", last written by ").append(ops.get(lastWrite));
    } else {
      text.append(" (nothing has written the key yet)");
    }
    text.append(". Next, ")
        .append(ops.get(blocking))
        .append(" had to take effect before it returned, and none of the operations that could ")
        .append("come first fits:");
    String separator = " ";
    for (int op : search.frontier(done)) {
      if (ops.get(op).unknown()) {
        continue;
      }
      involved.add(ops.get(op));
      text.append(separator)
          .append(ops.get(op))
          .append(" cannot, as ")
          .append(model.rejection(state, op));
      separator = "; ";
    }
    text.append(". Every other valid order (")
        .append(search.steps())
        .append(" search steps) ends no further.");
    return new CheckResult(false, key, involved, text.toString());
  }
}
