package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.HardState;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's simulated disk. Writes land in a volatile buffer and become durable only on {@link
 * #sync()}; a crash loses everything not yet synced, as a power cut would with a real disk.
 */
final class SimDisk {
  private HardState hardState = HardState.INITIAL;
  private final List<Entry> log = new ArrayList<>();
  private final List<Runnable> unsynced = new ArrayList<>();
  private long syncs;

  void write(HardState hs, List<Entry> entries) {
    if (hs != null) {
      unsynced.add(() -> hardState = hs);
    }
    if (!entries.isEmpty()) {
      List<Entry> copy = List.copyOf(entries);
      unsynced.add(() -> appendReplacing(copy));
    }
  }

  private void appendReplacing(List<Entry> entries) {
    long first = entries.get(0).index();
    if (first > log.size() + 1) {
      throw new IllegalStateException("gap in disk log: " + first + " after " + log.size());
    }
    log.subList((int) (first - 1), log.size()).clear();
    log.addAll(entries);
  }

  void sync() {
    unsynced.forEach(Runnable::run);
    unsynced.clear();
    syncs++;
  }

  /** A crash: what was not synced is gone. */
  void loseUnsynced() {
    unsynced.clear();
  }

  HardState hardState() {
    return hardState;
  }

  List<Entry> log() {
    return List.copyOf(log);
  }

  long syncs() {
    return syncs;
  }
}
