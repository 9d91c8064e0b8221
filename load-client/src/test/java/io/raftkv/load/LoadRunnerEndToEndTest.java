package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.ClientOptions;
import io.raftkv.client.RaftClient;
import io.raftkv.kv.Bytes;
import io.raftkv.server.FreePorts;
import io.raftkv.server.RaftServer;
import io.raftkv.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A 3-node in-process cluster on 127.0.0.1 under a short closed-loop load. */
class LoadRunnerEndToEndTest {
  private final List<RaftServer> servers = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void shutDown() throws IOException {
    for (RaftServer s : servers) {
      s.close();
    }
  }

  private String startCluster() throws IOException {
    Map<Integer, InetSocketAddress> members = new TreeMap<>();
    for (int id = 1; id <= 3; id++) {
      InetAddress host = InetAddress.getLoopbackAddress();
      members.put(id, new InetSocketAddress(host, FreePorts.pick(host)));
    }
    for (int id = 1; id <= 3; id++) {
      servers.add(RaftServer.start(ServerConfig.memory(id, members)));
    }
    StringJoiner spec = new StringJoiner(",");
    members.forEach(
        (id, a) -> spec.add(id + "=" + a.getAddress().getHostAddress() + ":" + a.getPort()));
    return spec.toString();
  }

  @Test
  @Timeout(value = 25, unit = TimeUnit.SECONDS)
  void aShortLoadMeasuresThroughputAndLatencyWithoutErrors() throws Exception {
    String cluster = startCluster();
    // Wait for a leader through the client's own retries, without sleeping.
    try (RaftClient c = RaftClient.connect(ClientOptions.of(cluster))) {
      c.put(Bytes.utf8("ready"), Bytes.utf8("1")).get(15, TimeUnit.SECONDS);
    }
    Path out = dir.resolve("run");
    LoadOptions options =
        LoadOptions.parse(
            new String[] {
              "--cluster", cluster,
              "--clients", "4",
              "--mix", "put=50,get=50",
              "--warmup", "500ms",
              "--duration", "2s",
              "--keys", "100",
              "--value-size", "32",
              "--out", out.toString()
            });
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    LoadRunner.Outcome outcome =
        new LoadRunner(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

    assertEquals(2, outcome.results().size());
    long total = 0;
    for (OpResult r : outcome.results()) {
      assertEquals(Map.of(), r.errors(), r.label() + " errors");
      assertTrue(r.count() > 0, r.label() + " count");
      total += r.count();
      Histogram h = r.histogram();
      long prev = 0;
      for (double p : new double[] {50, 90, 99, 99.9, 100}) {
        long v = h.getValueAtPercentile(p);
        assertTrue(v >= prev, r.label() + " p" + p + " out of order");
        prev = v;
      }
    }
    double seconds = outcome.info().measuredSeconds();
    assertTrue(seconds >= 1.9 && seconds < 10, "measured " + seconds + " s");
    assertTrue(total / seconds > 0);
    for (String f : List.of("put.hgrm", "get.hgrm", "put.hlog", "get.hlog", "summary.json")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    HistogramLogReader reader = new HistogramLogReader(out.resolve("put.hlog").toFile());
    long logged = 0;
    while (reader.hasNext()) {
      logged += ((Histogram) reader.nextIntervalHistogram()).getTotalCount();
    }
    reader.close();
    assertEquals(outcome.results().get(0).count(), logged);
    new ReportTest.JsonCheck(Files.readString(out.resolve("summary.json"))).parse();
    assertTrue(console.toString(StandardCharsets.UTF_8).contains("ops/s"));
  }
}
