package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final int DRAWS = 100_000;

  @Test
  void mixProportionsHoldOverManyDraws() {
    Map<Op, Integer> mix = Map.of(Op.PUT, 50, Op.GET, 30, Op.CAS, 15, Op.MULTI_PUT, 5);
    Workload w = new Workload(mix, 1000, Workload.Distribution.UNIFORM, 10);
    WorkloadGenerator g = w.generator(42, 0);
    Map<Op, Integer> counts = new EnumMap<>(Op.class);
    for (int i = 0; i < DRAWS; i++) {
      counts.merge(g.nextOp(), 1, Integer::sum);
    }
    for (Map.Entry<Op, Integer> e : mix.entrySet()) {
      double share = counts.getOrDefault(e.getKey(), 0) / (double) DRAWS;
      assertEquals(e.getValue() / 100.0, share, 0.01, e.getKey().label());
    }
  }

  @Test
  void zeroWeightOperationsAreNeverDrawn() {
    Workload w = new Workload(Map.of(Op.PUT, 1, Op.GET, 0), 10, Workload.Distribution.UNIFORM, 1);
    WorkloadGenerator g = w.generator(1, 0);
    for (int i = 0; i < 1000; i++) {
      assertEquals(Op.PUT, g.nextOp());
    }
  }

  @Test
  void zipfianFavoursKeyZeroByRoughlyTheExpectedShare() {
    int keys = 1000;
    Workload w = new Workload(Map.of(Op.GET, 1), keys, Workload.Distribution.ZIPFIAN, 1);
    WorkloadGenerator g = w.generator(7, 0);
    int[] counts = new int[keys];
    for (int i = 0; i < DRAWS; i++) {
      int k = g.nextKeyIndex();
      assertTrue(k >= 0 && k < keys);
      counts[k]++;
    }
    for (int i = 1; i < keys; i++) {
      assertTrue(counts[0] > counts[i], "key 0 must be the most frequent, not key " + i);
    }
    double expected = new ZipfianGenerator(keys, ZipfianGenerator.DEFAULT_EXPONENT).probability(0);
    double harmonic = 0;
    for (int i = 1; i <= keys; i++) {
      harmonic += 1.0 / Math.pow(i, ZipfianGenerator.DEFAULT_EXPONENT);
    }
    assertEquals(1.0 / harmonic, expected, 1e-9);
    assertEquals(expected, counts[0] / (double) DRAWS, 0.01);
    assertTrue(counts[1] > counts[100], "skew: key 1 more frequent than key 100");
  }

  @Test
  void uniformKeysCoverTheRange() {
    Workload w = new Workload(Map.of(Op.GET, 1), 10, Workload.Distribution.UNIFORM, 1);
    WorkloadGenerator g = w.generator(3, 0);
    int[] counts = new int[10];
    for (int i = 0; i < DRAWS; i++) {
      counts[g.nextKeyIndex()]++;
    }
    for (int c : counts) {
      assertEquals(0.1, c / (double) DRAWS, 0.01);
    }
  }

  @Test
  void multiPutKeysAreDistinctEvenUnderSkew() {
    Workload w = new Workload(Map.of(Op.MULTI_PUT, 1), 5, Workload.Distribution.ZIPFIAN, 1);
    WorkloadGenerator g = w.generator(5, 0);
    for (int i = 0; i < 10_000; i++) {
      int[] keys = g.nextDistinctKeyIndexes(4);
      assertEquals(4, keys.length);
      assertEquals(4, java.util.Arrays.stream(keys).distinct().count());
    }
    assertEquals(5, g.nextDistinctKeyIndexes(8).length);
  }

  @Test
  void valuesHaveExactlyTheConfiguredSize() {
    for (int size : new int[] {0, 1, 100, 4096}) {
      Workload w = new Workload(Map.of(Op.PUT, 1), 10, Workload.Distribution.UNIFORM, size);
      WorkloadGenerator g = w.generator(1, 0);
      for (int i = 0; i < 10; i++) {
        assertEquals(size, g.nextValue().size());
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameStreamAndAnotherClientADifferentOne() {
    Workload w = new Workload(Map.of(Op.PUT, 1, Op.GET, 1), 1000, Workload.Distribution.ZIPFIAN, 8);
    WorkloadGenerator a = w.generator(99, 3);
    WorkloadGenerator b = w.generator(99, 3);
    WorkloadGenerator c = w.generator(99, 4);
    StringBuilder sa = new StringBuilder();
    StringBuilder sb = new StringBuilder();
    StringBuilder sc = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      sa.append(a.nextOp()).append(a.nextKey().toUtf8()).append(a.nextValue().toUtf8());
      sb.append(b.nextOp()).append(b.nextKey().toUtf8()).append(b.nextValue().toUtf8());
      sc.append(c.nextOp()).append(c.nextKey().toUtf8()).append(c.nextValue().toUtf8());
    }
    assertEquals(sa.toString(), sb.toString());
    assertTrue(!sa.toString().equals(sc.toString()));
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertThrows(UsageException.class, () -> LoadOptions.parse(new String[] {"--clients", "4"}));
    assertThrows(
        UsageException.class,
        () -> LoadOptions.parse(new String[] {"--cluster", "1=127.0.0.1:1", "--mix", "put=x"}));
    assertThrows(
        UsageException.class,
        () -> LoadOptions.parse(new String[] {"--cluster", "1=127.0.0.1:1", "--duration", "3h"}));
    assertThrows(
        UsageException.class,
        () -> LoadOptions.parse(new String[] {"--cluster", "1=127.0.0.1:1", "--nope", "1"}));
    assertThrows(
        UsageException.class,
        () ->
            LoadOptions.parse(
                new String[] {"--cluster", "1=127.0.0.1:1", "--distribution", "pareto"}));
    assertEquals(
        2,
        LoadMain.run(
            new String[] {"run", "--clients", "0"},
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream())));
  }

  @Test
  void flagsAreParsed() throws UsageException {
    LoadOptions o =
        LoadOptions.parse(
            new String[] {
              "--cluster",
              "1=127.0.0.1:1",
              "--clients",
              "4",
              "--mix",
              "put=1,multiPut=3",
              "--warmup",
              "500ms",
              "--duration",
              "2s",
              "--rate",
              "100",
              "--out",
              "x"
            });
    assertEquals(4, o.clients());
    assertEquals(Map.of(Op.PUT, 1, Op.MULTI_PUT, 3), o.workload().mix());
    assertEquals(500, o.warmup().toMillis());
    assertEquals(2, o.duration().toSeconds());
    assertTrue(o.paced());
  }
}
