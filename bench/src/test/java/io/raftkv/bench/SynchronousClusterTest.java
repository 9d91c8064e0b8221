package io.raftkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SynchronousClusterTest {
  static List<String> variants() {
    return RaftConfig.PRESETS;
  }

  @ParameterizedTest
  @MethodSource("variants")
  void aProposalCommitsOnTheLeaderAndReachesFollowersWithTheNext(String variant) {
    SynchronousCluster cluster = new SynchronousCluster(RaftConfig.preset(variant), 5, 1);
    int leader = cluster.elect();
    ProposeResult.Accepted first =
        assertInstanceOf(
            ProposeResult.Accepted.class, cluster.node(leader).propose(List.of(new byte[] {1})));
    cluster.settle();
    assertEquals(first.lastIndex(), cluster.appliedIndex(leader));
    ProposeResult.Accepted second =
        assertInstanceOf(
            ProposeResult.Accepted.class, cluster.node(leader).propose(List.of(new byte[] {2})));
    cluster.settle();
    assertEquals(second.lastIndex(), cluster.appliedIndex(leader));
    for (int id = 1; id <= 5; id++) {
      assertTrue(cluster.appliedIndex(id) >= first.lastIndex(), "node " + id);
    }
  }
}
