package io.raftkv.load;

import io.raftkv.kv.Bytes;
import java.util.SplittableRandom;

/** One client's stream of operations, keys and values; not thread-safe (one per client). */
public final class WorkloadGenerator {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final byte[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Workload workload;
  private final SplittableRandom random;

  WorkloadGenerator(Workload workload, long seed, int client) {
    this.workload = workload;
    this.random = new SplittableRandom(seed ^ ((client + 1L) * GOLDEN));
  }

  /** The next operation type, drawn by the mix weights. */
  public Op nextOp() {
    return workload.opAt(random.nextInt(workload.totalWeight()));
  }

  /** The next key index in {@code [0, keys)}. */
  public int nextKeyIndex() {
    ZipfianGenerator z = workload.zipfian();
    return z == null ? random.nextInt(workload.keys()) : z.next(random);
  }

  /** The next key. */
  public Bytes nextKey() {
    return key(nextKeyIndex());
  }

  /**
   * Up to {@code n} distinct key indexes (fewer only if there are fewer keys), in draw order: a
   * multiPut must name each key once. Draws again on a repeat; after a bounded number of repeats (a
   * very skewed distribution) fills with the lowest unused indexes.
   */
  public int[] nextDistinctKeyIndexes(int n) {
    int want = Math.min(n, workload.keys());
    java.util.LinkedHashSet<Integer> chosen = new java.util.LinkedHashSet<>();
    for (int tries = 0; chosen.size() < want && tries < 64 * want; tries++) {
      chosen.add(nextKeyIndex());
    }
    for (int i = 0; chosen.size() < want; i++) {
      chosen.add(i);
    }
    int[] out = new int[want];
    int j = 0;
    for (int k : chosen) {
      out[j++] = k;
    }
    return out;
  }

  /** The key of index {@code i}. */
  public static Bytes key(int i) {
    return Bytes.utf8("k" + i);
  }

  /** A fresh value of exactly {@code valueSize} bytes. */
  public Bytes nextValue() {
    byte[] b = new byte[workload.valueSize()];
    for (int i = 0; i < b.length; i++) {
      b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return Bytes.of(b);
  }
}
