package io.raftkv.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates histories that are linearizable by construction: every operation gets a point between
 * its call and return, the operations are applied to a map in the order of those points, and the
 * results they report are the ones that map gives. An operation with an unknown outcome either
 * takes effect at a point after its call, possibly long after, or never.
 */
final class RandomHistory {
  private final Random random;
  private final int clients;
  private final int keys;
  private final double unknownRate;

  RandomHistory(long seed, int clients, int keys, double unknownRate) {
    this.random = new Random(seed);
    this.clients = clients;
    this.keys = keys;
    this.unknownRate = unknownRate;
  }

  private record Planned(
      int client,
      OpType type,
      String key,
      String value,
      String expected,
      long call,
      long ret,
      long point,
      boolean unknown,
      boolean takesEffect) {}

  List<Operation> generate(int count) {
    long[] clientTime = new long[clients];
    List<Planned> planned = new ArrayList<>();
    Map<String, List<String>> written = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int client = random.nextInt(clients);
      String key = "k" + random.nextInt(keys);
      List<String> keyValues = written.computeIfAbsent(key, k -> new ArrayList<>());
      OpType type = pickType();
      String value = type == OpType.PUT || type == OpType.CAS ? "v" + i : null;
      String expected = null;
      if (type == OpType.CAS && !keyValues.isEmpty() && random.nextInt(4) > 0) {
        int recent = Math.max(0, keyValues.size() - 3);
        expected = keyValues.get(recent + random.nextInt(keyValues.size() - recent));
      }
      if (value != null) {
        keyValues.add(value);
      }
      long call = clientTime[client] + random.nextInt(10);
      boolean unknown = random.nextDouble() < unknownRate;
      if (unknown) {
        long point = call + random.nextInt(300);
        planned.add(
            new Planned(
                client, type, key, value, expected, call, 0, point, true, random.nextBoolean()));
        clientTime[client] = call + 30;
      } else {
        long point = call + random.nextInt(20);
        long ret = point + random.nextInt(20);
        planned.add(new Planned(client, type, key, value, expected, call, ret, point, false, true));
        clientTime[client] = ret + 1;
      }
    }
    return apply(planned);
  }

  private OpType pickType() {
    int roll = random.nextInt(100);
    if (roll < 35) {
      return OpType.PUT;
    }
    if (roll < 70) {
      return OpType.GET;
    }
    return roll < 90 ? OpType.CAS : OpType.DELETE;
  }

  private static List<Operation> apply(List<Planned> planned) {
    List<Planned> byPoint = new ArrayList<>(planned);
    byPoint.sort(Comparator.comparingLong(Planned::point));
    Map<String, String> store = new HashMap<>();
    Map<Planned, Operation> results = new HashMap<>();
    for (Planned p : byPoint) {
      String current = store.get(p.key());
      // An unknown operation is built complete, then its outcome forgotten.
      long ret = p.unknown() ? p.call() : p.ret();
      Operation op =
          switch (p.type()) {
            case PUT -> Operation.put(p.client(), p.key(), p.value(), p.call(), ret);
            case GET -> Operation.get(p.client(), p.key(), current, p.call(), ret);
            case DELETE -> Operation.delete(p.client(), p.key(), p.call(), ret);
            case CAS -> {
              boolean swapped = java.util.Objects.equals(current, p.expected());
              yield Operation.cas(
                  p.client(), p.key(), p.expected(), p.value(), swapped, p.call(), ret);
            }
          };
      if (p.takesEffect()) {
        switch (p.type()) {
          case PUT -> store.put(p.key(), p.value());
          case DELETE -> store.remove(p.key());
          case CAS -> {
            if (op.ok()) {
              store.put(p.key(), p.value());
            }
          }
          case GET -> {}
        }
      }
      results.put(p, p.unknown() ? op.withUnknown() : op);
    }
    List<Operation> history = new ArrayList<>();
    for (Planned p : planned) {
      history.add(results.get(p));
    }
    return history;
  }
}
