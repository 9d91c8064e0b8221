package io.raftkv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random faults over {@link TestNetwork}: partitions, random message loss, stale duplicates
 * delivered out of order, crashes and restarts, proposals, under randomized settings (batching,
 * pipelining, pre-vote and check-quorum on or off). The network checks Election Safety and State
 * Machine Safety after every Ready; this test adds Leader Completeness (every applied entry is in
 * the final leader's log) and liveness once the faults stop (everyone converges on one commit
 * index). A failure names its seed.
 */
class RaftRandomizedTest {
  private static final int SEEDS = Integer.getInteger("core.random.seeds", 40);
  private static final int STEPS = 600;

  @Test
  void randomFaultsKeepSafetyAndConvergeAfterHealing() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      try {
        runOne(seed);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void runOne(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int size = rnd.nextBoolean() ? 3 : 5;
    RaftConfig config =
        new RaftConfig(
            10,
            15,
            3,
            rnd.nextInt(4) > 0,
            rnd.nextInt(4) > 0,
            4,
            1 << 20,
            4,
            6,
            rnd.nextBoolean(),
            rnd.nextBoolean(),
            false,
            false,
            2,
            false,
            64,
            1);
    TestNetwork net = new TestNetwork(size, config, seed);
    SplittableRandom loss = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int lossPercent = rnd.nextInt(20);
    net.dropIf(m -> loss.nextInt(100) < lossPercent);
    int proposals = 0;
    for (int step = 0; step < STEPS; step++) {
      int action = rnd.nextInt(100);
      int id = 1 + rnd.nextInt(size);
      if (action < 2) {
        net.recover();
        net.isolate(id);
        net.dropIf(m -> loss.nextInt(100) < lossPercent);
      } else if (action < 4) {
        net.recover();
        net.dropIf(m -> loss.nextInt(100) < lossPercent);
      } else if (action < 5) {
        net.crash(id);
      } else if (action < 7) {
        if (net.isDown(id)) {
          net.restart(id);
        }
      } else if (action < 10) {
        // A stale duplicate: some earlier message delivered again, out of order.
        int n = net.delivered().size();
        if (n > 0) {
          net.send(net.delivered().get(n - 1 - rnd.nextInt(Math.min(n, 200))));
          net.settle();
        }
      } else if (action < 20) {
        int leader = net.leader();
        if (leader != 0) {
          net.propose(leader, "s" + seed + "-" + proposals++);
        }
      } else {
        net.tickAll();
      }
    }
    net.recover();
    for (int id : net.ids()) {
      if (net.isDown(id)) {
        net.restart(id);
      }
    }
    net.tickAllUntil(() -> converged(net), 3000);
    int leader = net.leader();
    RaftNode l = net.node(leader);
    for (Map.Entry<Long, Entry> e : net.appliedEntries().entrySet()) {
      assertEquals(e.getValue(), l.entry(e.getKey()), "leader lacks an applied entry");
    }
    assertTrue(l.commitIndex() >= net.appliedEntries().size());
  }

  private static boolean converged(TestNetwork net) {
    int leader = net.leader();
    if (leader == 0) {
      return false;
    }
    RaftNode l = net.node(leader);
    if (l.entry(l.commitIndex()) == null || l.entry(l.commitIndex()).term() != l.term()) {
      return false;
    }
    for (int id : net.ids()) {
      RaftNode n = net.node(id);
      if (n.commitIndex() != l.commitIndex()
          || net.store(id).applied.size() != l.commitIndex()
          || n.lastIndex() != l.lastIndex()) {
        return false;
      }
    }
    return true;
  }
}
