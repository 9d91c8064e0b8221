package io.raftkv.history;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of a linearizability check.
 *
 * <p>When the history is linearizable, {@code key} is null and {@code operations} is empty. When it
 * is not, {@code key} is the first key (in sorted order) whose sub-history is not linearizable,
 * {@code operations} holds the operations of that key that the search could not place (the
 * operations that could have come next at the furthest point the search reached, and the one that
 * had to take effect before its return), preceded by the last operations of the furthest valid
 * order as context, and {@code explanation} says in one paragraph why none of them could come next.
 *
 * @param linearizable whether every key's sub-history is linearizable
 * @param key the offending key, or null
 * @param operations the offending operations of that key, in the order of the explanation
 * @param explanation a readable paragraph
 */
public record CheckResult(
    boolean linearizable, String key, List<Operation> operations, String explanation) {

  /** Copies the operation list; checks that a failure names a key and a success does not. */
  public CheckResult {
    operations = List.copyOf(operations);
    Objects.requireNonNull(explanation, "explanation");
    if (linearizable != (key == null)) {
      throw new IllegalArgumentException("a failure names its key, a success names none");
    }
    if (linearizable && !operations.isEmpty()) {
      throw new IllegalArgumentException("a success lists no operations");
    }
  }
}
