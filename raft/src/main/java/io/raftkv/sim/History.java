package io.raftkv.sim;

import io.raftkv.history.Operation;
import io.raftkv.kv.Bytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations simulated clients completed or gave up on, with timestamps that are strictly
 * increasing in event order (virtual microseconds scaled by 1000, plus a counter), so real-time
 * precedence between operations is exact.
 */
final class History {
  private final EventQueue events;
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, Bytes> lastSeen = new HashMap<>();
  private long lastStamp;

  History(EventQueue events) {
    this.events = events;
  }

  long stamp() {
    lastStamp = Math.max(lastStamp + 1, events.now() * 1000);
    return lastStamp;
  }

  void add(Operation op) {
    operations.add(op);
  }

  List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** Remembers a value some client read, so a later cas has a plausible expected value. */
  void saw(String key, Bytes value) {
    lastSeen.put(key, value);
  }

  Bytes lastValueSeen(String key) {
    return lastSeen.get(key);
  }
}
