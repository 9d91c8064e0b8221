package io.raftkv.load;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the virtual clients do: the operation mix (relative weights), the key count and
 * distribution, and the value size. Immutable; {@link #generator} gives each client its own
 * deterministic stream.
 */
public final class Workload {
  /** Key distribution. */
  public enum Distribution {
    UNIFORM,
    ZIPFIAN
  }

  /** Keys written by one multiPut. */
  public static final int MULTI_PUT_SIZE = 4;

  private final EnumMap<Op, Integer> mix;
  private final int keys;
  private final Distribution distribution;
  private final int valueSize;
  private final ZipfianGenerator zipfian;
  private final Op[] ops;
  private final int[] cumulativeWeights;

  public Workload(Map<Op, Integer> mix, int keys, Distribution distribution, int valueSize) {
    this.mix = new EnumMap<>(mix);
    this.keys = keys;
    this.distribution = distribution;
    this.valueSize = valueSize;
    this.zipfian =
        distribution == Distribution.ZIPFIAN
            ? new ZipfianGenerator(keys, ZipfianGenerator.DEFAULT_EXPONENT)
            : null;
    int n = 0;
    for (int w : this.mix.values()) {
      if (w > 0) {
        n++;
      }
    }
    ops = new Op[n];
    cumulativeWeights = new int[n];
    int i = 0;
    int sum = 0;
    for (Map.Entry<Op, Integer> e : this.mix.entrySet()) {
      if (e.getValue() > 0) {
        sum += e.getValue();
        ops[i] = e.getKey();
        cumulativeWeights[i] = sum;
        i++;
      }
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("the mix has no operation with a positive weight");
    }
  }

  public Map<Op, Integer> mix() {
    return new EnumMap<>(mix);
  }

  public int keys() {
    return keys;
  }

  public Distribution distribution() {
    return distribution;
  }

  public int valueSize() {
    return valueSize;
  }

  /** Operations with a positive weight, in declaration order. */
  public Op[] ops() {
    return ops.clone();
  }

  int totalWeight() {
    return cumulativeWeights[cumulativeWeights.length - 1];
  }

  Op opAt(int draw) {
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (draw < cumulativeWeights[i]) {
        return ops[i];
      }
    }
    return ops[ops.length - 1];
  }

  ZipfianGenerator zipfian() {
    return zipfian;
  }

  /** A generator for one client, deterministic for {@code (seed, client)}. */
  public WorkloadGenerator generator(long seed, int client) {
    return new WorkloadGenerator(this, seed, client);
  }

  /** A short description, e.g. {@code put=50,get=50 keys=1000 uniform value=100}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Op, Integer> e : mix.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey().label()).append('=').append(e.getValue());
    }
    return sb
        + " keys="
        + keys
        + " "
        + distribution.name().toLowerCase(java.util.Locale.ROOT)
        + " value="
        + valueSize;
  }
}
