package io.raftkv.history;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Checks the sub-history of one key: drops the operations that cannot matter, runs {@link
 * WglSearch}, and on failure explains where the search got stuck.
 */
final class KeyChecker {
  private final String key;
  private final KeyHistory history;

  /**
   * @param key the key
   * @param operations the operations on that key, in any order
   */
  KeyChecker(String key, List<Operation> operations) {
    this.key = key;
    this.history = KeyHistory.of(operations);
  }

  /**
   * Runs the check; see {@link LinearizabilityChecker#check(List, long)}.
   *
   * @return empty if the key's history is linearizable, else the failure
   */
  Optional<CheckResult> check(long maxSteps) {
    KeyModel model = new KeyModel(history.ops());
    WglSearch search = new WglSearch(history, model);
    if (search.run(maxSteps)) {
      return Optional.empty();
    }
    return Optional.of(explain(model, search));
  }

  private CheckResult explain(KeyModel model, WglSearch search) {
    int[] order = search.furthest();
    BitSet done = new BitSet(history.size());
    int state = KeyModel.ABSENT;
    int lastWrite = -1;
    for (int op : order) {
      Operation o = history.op(op);
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
        .append(history.size())
        .append(" operations respects both real time and the semantics of a register")
        .append(
            history.dropped() > 0
                ? " ("
                    + history.dropped()
                    + " unknown-outcome operations that nothing observes left out)"
                : "")
        .append(". The longest valid order found places ")
        .append(order.length)
        .append(" of them and leaves the value ")
        .append(model.describe(state));
    if (lastWrite >= 0) {
      involved.add(history.op(lastWrite));
      text.append(", last written by ").append(history.op(lastWrite));
    } else {
      text.append(" (nothing has written the key yet)");
    }
    text.append(". Next, ")
        .append(history.op(blocking))
        .append(" had to take effect before it returned, and none of the operations that could ")
        .append("come first fits:");
    String separator = " ";
    int pendingUnknown = 0;
    for (int op : search.frontier(done)) {
      if (history.optional(op)) {
        pendingUnknown++;
        continue;
      }
      involved.add(history.op(op));
      text.append(separator)
          .append(history.op(op))
          .append(" cannot, as ")
          .append(model.rejection(state, op));
      separator = "; ";
    }
    if (pendingUnknown > 0) {
      text.append(". Letting any of the ")
          .append(pendingUnknown)
          .append(" pending operations with unknown outcome take effect first leads no further");
    }
    text.append(". Every other valid order (")
        .append(search.steps())
        .append(" search steps) ends no further.");
    return new CheckResult(false, key, involved, text.toString());
  }
}
