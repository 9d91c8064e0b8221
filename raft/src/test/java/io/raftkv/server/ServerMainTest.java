package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.RaftConfig;
import io.raftkv.storage.Durability;
import io.raftkv.storage.LogStore;
import io.raftkv.transport.netty.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code server} command line: parsing, error messages and exit codes. */
class ServerMainTest {
  private static final String CLUSTER = "1=127.0.0.1:7001,2=127.0.0.2:7002,3=127.0.0.3:7003";

  private static String[] args(String line) {
    return line.isEmpty() ? new String[0] : line.split(" ");
  }

  private static String runExpecting(int code, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int actual = ServerMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(code, actual, text);
    return text;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--cluster " + CLUSTER + " --data d | --id is required",
        "--id x --cluster " + CLUSTER + " --data d | --id: 'x' is not a node id",
        "--id 4 --cluster " + CLUSTER + " --data d | --id: node 4 is not in --cluster",
        "--id 1 --data d | --cluster is required",
        "--id 1 --cluster 1=127.0.0.1 --data d | --cluster: '1=127.0.0.1' is not ID=HOST:PORT",
        "--id 1 --cluster 1=127.0.0.1:99999 --data d | --cluster: port 99999",
        "--id 1 --cluster 1=127.0.0.1:1,1=127.0.0.1:2 --data d | --cluster: node id 1 appears twice",
        "--id 1 --cluster " + CLUSTER + " | --data is required",
        "--id 1 --cluster " + CLUSTER + " --data d --durability disk | --durability: unknown",
        "--id 1 --cluster " + CLUSTER + " --data d --variant fancy | --variant: unknown variant",
        "--id 1 --cluster " + CLUSTER + " --data d --link-delay 5 | --link-delay: '5'",
        "--id 1 --cluster " + CLUSTER + " --data d --speed 3 | unknown flag --speed",
        "--id 1 --cluster " + CLUSTER + " --data | --data needs a value",
        "--id 1 --id 2 --cluster " + CLUSTER + " --data d | --id given twice",
        "--id 1 --cluster " + CLUSTER + " --data d --config /nonexistent/x | --config: cannot read",
      })
  void badFlagsExitWithTwoAndNameTheFlag(String line, String message) {
    String err = runExpecting(ServerMain.EXIT_USAGE, args(line));
    assertTrue(err.startsWith("error: "), err);
    assertTrue(err.contains(message), err);
    assertTrue(err.contains("usage: server"), err);
  }

  @Test
  void configFileIsReadAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(
        file,
        "id=2\ncluster="
            + CLUSTER
            + "\ndata=/tmp/x\ndurability=nosync\ncluster-id=prod\nlink-delay=250us\n");
    ServerConfig c = ServerMain.parse(args("server --config " + file + " --durability memory"));
    assertEquals(2, c.id());
    assertEquals(3, c.members().size());
    assertEquals("127.0.0.2", c.members().get(2).getHostString());
    assertEquals(7002, c.members().get(2).getPort());
    assertEquals(Durability.MEMORY, c.durability());
    assertEquals("prod", c.clusterId());
    assertEquals(Duration.ofNanos(250_000), c.linkDelay());
    assertEquals("vanilla", c.variant());
    assertEquals(Path.of("/tmp/x"), c.dataDir());
  }

  @Test
  void setOverridesTheVariantsSettingsInOrder(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, "set.maxInflight=4\nset.batching=true\n");
    ServerConfig c =
        ServerMain.parse(
            args(
                "server --id 1 --cluster "
                    + CLUSTER
                    + " --durability memory --config "
                    + file
                    + " --set pipelining=true,maxInflight=8 --set leaseReads=true"));
    RaftConfig r = c.raftConfig();
    assertTrue(r.batching());
    assertTrue(r.pipelining());
    assertTrue(r.leaseReads());
    assertFalse(r.parallelLeaderWrite());
    assertEquals(8, r.inflightWindow());
  }

  @Test
  void optimizedPresetTurnsEveryFlagOn() throws Exception {
    ServerConfig c =
        ServerMain.parse(
            args(
                "server --id 1 --cluster " + CLUSTER + " --durability memory --variant optimized"));
    RaftConfig r = c.raftConfig();
    assertTrue(r.batching() && r.pipelining() && r.leaseReads() && r.parallelLeaderWrite());
  }

  @Test
  void unknownOrMalformedSettingExitsWithTwo() {
    String base = "--id 1 --cluster " + CLUSTER + " --durability memory --set ";
    String err = runExpecting(ServerMain.EXIT_USAGE, (base + "warp=true").split(" "));
    assertTrue(err.contains("unknown setting 'warp'"), err);
    err = runExpecting(ServerMain.EXIT_USAGE, (base + "batching").split(" "));
    assertTrue(err.contains("is not KEY=VALUE"), err);
    err = runExpecting(ServerMain.EXIT_USAGE, (base + "batching=maybe").split(" "));
    assertTrue(err.contains("batching: 'maybe' is not true or false"), err);
    err = runExpecting(ServerMain.EXIT_USAGE, (base + "maxInflight=0").split(" "));
    assertTrue(err.contains("must be >= 1"), err);
  }

  @Test
  void unknownKeyInConfigFileExitsWithTwo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "id=1\nspeed=3\n");
    String err = runExpecting(ServerMain.EXIT_USAGE, "--config", file.toString());
    assertTrue(err.contains("--config: unknown key 'speed'"), err);
  }

  @Test
  void portInUseExitsWithOne() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(RawClient.loopback(0));
      String err =
          runExpecting(
              ServerMain.EXIT_FAILURE,
              "--id",
              "1",
              "--cluster",
              "1=127.0.0.1:" + taken.getLocalPort(),
              "--durability",
              "memory");
      assertTrue(err.contains("node 1 cannot start: node 1 cannot listen on"), err);
    }
  }

  @Test
  void lockedDataDirectoryExitsWithOne(@TempDir Path dir) throws Exception {
    LogStore held = LogStore.open(dir, Durability.FSYNC);
    try {
      String err =
          runExpecting(
              ServerMain.EXIT_FAILURE,
              "server",
              "--id",
              "1",
              "--cluster",
              "1=127.0.0.1:1",
              "--data",
              dir.toString());
      assertTrue(err.contains("in use by another raftkv process"), err);
    } finally {
      held.close();
    }
  }
}
