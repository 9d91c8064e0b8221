package io.raftkv.load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws key indexes in {@code [0, n)} with probability proportional to {@code 1 / (i + 1)^s}: index
 * 0 is the most frequent. Exact inverse-CDF sampling over a precomputed table, so a seeded random
 * source gives the same sequence every time. The table is shared (immutable) between clients.
 */
public final class ZipfianGenerator {
  /** The exponent YCSB uses by default. */
  public static final double DEFAULT_EXPONENT = 0.99;

  private final double[] cdf;

  public ZipfianGenerator(int n, double exponent) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive: " + n);
    }
    cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    cdf[n - 1] = 1.0;
  }

  /** The probability of index {@code i}. */
  public double probability(int i) {
    return i == 0 ? cdf[0] : cdf[i] - cdf[i - 1];
  }

  /** The next index, using {@code random} as the only source of randomness. */
  public int next(SplittableRandom random) {
    double u = random.nextDouble();
    int pos = Arrays.binarySearch(cdf, u);
    int idx = pos >= 0 ? pos + 1 : -pos - 1;
    return Math.min(idx, cdf.length - 1);
  }
}
