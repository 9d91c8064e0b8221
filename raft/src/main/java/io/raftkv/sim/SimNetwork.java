package io.raftkv.sim;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A simulated network between endpoints (nodes and clients). Each message is delayed by a random
 * time in a range (so messages reorder), may be dropped or duplicated with a given probability, and
 * is blocked if its direction is cut by a partition. Partitions are per direction, so a one-way
 * partition is two calls.
 */
final class SimNetwork {
  private final EventQueue events;
  private final SplittableRandom random;
  private final Map<Integer, Consumer<Object>> endpoints = new HashMap<>();
  private final Set<Long> cut = new HashSet<>();

  private double dropRate;
  private double duplicateRate;
  private long minDelayMicros = 100;
  private long maxDelayMicros = 1_000;
  private long sent;
  private long delivered;

  SimNetwork(EventQueue events, SplittableRandom random) {
    this.events = events;
    this.random = random;
  }

  void register(int endpoint, Consumer<Object> handler) {
    endpoints.put(endpoint, handler);
  }

  void send(int from, int to, Object payload) {
    sent++;
    if (cut.contains(link(from, to)) || chance(dropRate)) {
      return;
    }
    deliverLater(to, payload);
    if (chance(duplicateRate)) {
      deliverLater(to, payload);
    }
  }

  private void deliverLater(int to, Object payload) {
    long delay = minDelayMicros + random.nextLong(maxDelayMicros - minDelayMicros + 1);
    events.after(
        delay,
        () -> {
          Consumer<Object> handler = endpoints.get(to);
          if (handler != null) {
            delivered++;
            handler.accept(payload);
          }
        });
  }

  private boolean chance(double p) {
    return p > 0 && random.nextDouble() < p;
  }

  private static long link(int from, int to) {
    return ((long) from << 32) | (to & 0xffffffffL);
  }

  /** Blocks messages from {@code from} to {@code to} (one direction). */
  void cut(int from, int to) {
    cut.add(link(from, to));
  }

  /** Blocks both directions between every member of {@code side} and every other endpoint. */
  void partition(Set<Integer> side, Set<Integer> everyone) {
    for (int a : side) {
      for (int b : everyone) {
        if (!side.contains(b)) {
          cut(a, b);
          cut(b, a);
        }
      }
    }
  }

  void heal() {
    cut.clear();
  }

  void setLoss(double dropRate, double duplicateRate) {
    this.dropRate = dropRate;
    this.duplicateRate = duplicateRate;
  }

  void setDelay(long minMicros, long maxMicros) {
    if (minMicros < 0 || maxMicros < minMicros) {
      throw new IllegalArgumentException("bad delay range " + minMicros + ".." + maxMicros);
    }
    this.minDelayMicros = minMicros;
    this.maxDelayMicros = maxMicros;
  }

  long sent() {
    return sent;
  }

  long delivered() {
    return delivered;
  }
}
