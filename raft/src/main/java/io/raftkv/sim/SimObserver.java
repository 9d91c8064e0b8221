package io.raftkv.sim;

import io.raftkv.core.Entry;
import io.raftkv.core.Ready;

/** Watches what simulated nodes persist and apply, to check safety invariants. */
interface SimObserver {
  void onReady(SimNode node, Ready ready);

  void onApply(SimNode node, Entry entry);
}
