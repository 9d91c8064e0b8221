package io.raftkv.it;

import io.raftkv.client.ClientOptions;
import io.raftkv.client.RaftClient;
import io.raftkv.kv.Bytes;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A single-client latency probe against a running cluster, until the load client exists: one
 * closed-loop client does {@code ops} puts, then {@code ops} gets (through the log in vanilla) over
 * 100 keys, after a warm-up of a quarter as many, and prints exact percentiles of the recorded
 * latencies and the throughput (operations divided by the wall time of the phase).
 *
 * <pre>
 * java -cp raft/target/raft.jar:raft/target/test-classes io.raftkv.it.LatencyProbe CLUSTER OPS
 * </pre>
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LatencyProbe 1=HOST:PORT,2=... OPS");
      System.exit(2);
    }
    int ops = Integer.parseInt(args[1]);
    try (RaftClient client = RaftClient.connect(ClientOptions.of(args[0]))) {
      for (String op : new String[] {"put", "get"}) {
        for (int i = 0; i < ops / 4; i++) {
          call(client, op, i);
        }
        long[] nanos = new long[ops];
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
          long t = System.nanoTime();
          call(client, op, i);
          nanos[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        System.out.printf(
            "%s ops=%d p50=%.3f ms p99=%.3f ms max=%.3f ms throughput=%.0f ops/s%n",
            op,
            ops,
            nanos[ops / 2] / 1e6,
            nanos[(int) (ops * 0.99)] / 1e6,
            nanos[ops - 1] / 1e6,
            ops / seconds);
      }
    }
  }

  private static void call(RaftClient client, String op, int i) throws Exception {
    Bytes key = Bytes.utf8("key" + (i % 100));
    if (op.equals("put")) {
      client.put(key, Bytes.utf8("value-" + i)).get(10, TimeUnit.SECONDS);
    } else {
      client.get(key).get(10, TimeUnit.SECONDS);
    }
  }
}
