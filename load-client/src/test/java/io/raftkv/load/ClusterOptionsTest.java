package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.RaftConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing of {@code compare} and {@code failover}. */
class ClusterOptionsTest {
  @TempDir Path dir;
  private Path jar;
  private final PrintStream quiet =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @BeforeEach
  void fakeJar() throws IOException {
    // Parsing only checks that the server jar exists; nothing is started.
    jar = Files.writeString(dir.resolve("raft.jar"), "not started");
  }

  private CompareCommand compare(String... args) throws UsageException {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--raft-jar");
    all.add(jar.toString());
    return CompareCommand.parse(all.toArray(new String[0]), quiet);
  }

  @Test
  void defaultsAreEveryPresetFourClientCountsFsyncThreeNodes() throws UsageException {
    CompareCommand c = compare();
    ClusterOptions o = c.options();
    assertEquals(RaftConfig.PRESETS, o.configs().stream().map(ClusterConfig::label).toList());
    for (ClusterConfig config : o.configs()) {
      assertEquals(config.label(), config.variant());
      assertEquals(Map.of(), config.settings());
    }
    assertEquals(List.of(1, 4, 16, 64), c.clients());
    assertEquals(Duration.ofSeconds(30), c.jvmWarmup());
    assertEquals(16, c.jvmWarmupClients());
    assertEquals("fsync", o.durability());
    assertEquals(3, o.nodes());
    assertEquals("2g", o.nodeHeap());
    assertEquals(Duration.ofSeconds(10), o.load().duration());
    assertEquals(Duration.ofSeconds(3), o.load().warmup());
    assertEquals(Duration.ZERO, o.load().clientDelay());
    assertEquals(1, o.load().ioThreads());
    assertEquals(jar.toAbsolutePath(), o.raftJar());
    assertTrue(o.out().startsWith("results"), o.out().toString());
    assertTrue(o.out().getFileName().toString().endsWith("-compare"));
  }

  @Test
  void workloadFlagsMeanWhatTheyMeanForRun() throws UsageException {
    CompareCommand c =
        compare(
            "--variants", "vanilla",
            "--clients", "2,8",
            "--duration", "2s",
            "--warmup", "500ms",
            "--mix", "put=10,cas=90",
            "--keys", "7",
            "--value-size", "3",
            "--durability", "memory",
            "--nodes", "5",
            "--link-delay", "250us",
            "--node-heap", "3G",
            "--out", dir.resolve("o").toString());
    ClusterOptions o = c.options();
    assertEquals(List.of(2, 8), c.clients());
    assertEquals(Duration.ofSeconds(2), o.load().duration());
    assertEquals(Duration.ofMillis(500), o.load().warmup());
    assertEquals(Map.of(Op.PUT, 10, Op.CAS, 90), o.load().workload().mix());
    assertEquals(7, o.load().workload().keys());
    assertEquals(3, o.load().workload().valueSize());
    assertEquals("memory", o.durability());
    assertEquals(5, o.nodes());
    // The client delays its requests by the link delay the nodes add to their replies.
    assertEquals(Duration.ofNanos(250_000), o.load().clientDelay());
    assertEquals("250us", o.linkDelayText());
    assertEquals("3g", o.nodeHeap());
    assertEquals("3g", o.spec(o.configs().get(0)).nodeHeap());
    assertEquals(dir.resolve("o"), o.out());
  }

  @Test
  void configsNameAVariantWithSettingsAndSetAppliesToEveryOne() throws UsageException {
    ClusterOptions o =
        compare(
                "--set", "electionTicks=20",
                "--configs", "base:vanilla,vanilla+batching:vanilla:batching=true;maxInflight=4")
            .options();
    assertEquals(2, o.configs().size());
    ClusterConfig base = o.configs().get(0);
    assertEquals("base", base.label());
    assertEquals(Map.of("electionTicks", "20"), base.settings());
    ClusterConfig batching = o.configs().get(1);
    assertEquals("vanilla", batching.variant());
    assertEquals(
        Map.of("electionTicks", "20", "batching", "true", "maxInflight", "4"), batching.settings());
    assertTrue(batching.flagsText().contains("batching=true"));
    assertTrue(base.flagsText().contains("batching=false"));
  }

  @Test
  void ablationFlipsEachFlagAlone() throws UsageException {
    List<ClusterConfig> configs = compare("--ablation", "optimized").options().configs();
    assertEquals(1 + RaftConfig.FLAGS.size(), configs.size());
    assertEquals("optimized", configs.get(0).label());
    for (int i = 0; i < RaftConfig.FLAGS.size(); i++) {
      String flag = RaftConfig.FLAGS.get(i);
      ClusterConfig c = configs.get(i + 1);
      // A flag the preset has on is taken away; one it has off (nilextFastPath) is added.
      boolean on = flag.equals("nilextFastPath");
      assertEquals("optimized" + (on ? "+" : "-") + flag, c.label());
      assertEquals(Map.of(flag, Boolean.toString(on)), c.settings());
    }
    List<ClusterConfig> vanilla = compare("--ablation", "vanilla").options().configs();
    assertEquals("vanilla+batching", vanilla.get(1).label());
    assertEquals(Map.of("batching", "true"), vanilla.get(1).settings());
  }

  @Test
  void badOptionsAreUsageErrors() {
    List<String[]> bad =
        List.of(
            new String[] {"--nodes", "4"},
            new String[] {"--variants", "nosuch"},
            new String[] {"--set", "nosuch=1"},
            new String[] {"--set", "batching"},
            new String[] {"--configs", "a:vanilla,a:optimized"},
            new String[] {"--configs", "a"},
            new String[] {"--configs", "a b:vanilla"},
            new String[] {"--configs", "x:vanilla:electionTicks=-1"},
            new String[] {"--variants", "vanilla", "--ablation", "vanilla"},
            new String[] {"--durability", "paper"},
            new String[] {"--node-heap", "2"},
            new String[] {"--node-heap", "32m"},
            new String[] {"--node-heap", "2t"},
            new String[] {"--node-heap", "-Xmx2g"},
            new String[] {"--clients", "1,1"},
            new String[] {"--clients", "0"},
            new String[] {"--ops", "100"},
            new String[] {"--cluster", "1=127.0.0.1:1"},
            new String[] {"--duration"});
    for (String[] args : bad) {
      assertThrows(UsageException.class, () -> compare(args), String.join(" ", args));
    }
    assertThrows(
        UsageException.class,
        () ->
            CompareCommand.parse(
                new String[] {"--raft-jar", dir.resolve("none").toString()}, quiet));
  }

  @Test
  void jvmWarmupCanBeShortenedOrTurnedOffButNotNegative() throws UsageException {
    CompareCommand c = compare("--jvm-warmup", "0s", "--jvm-warmup-clients", "4");
    assertEquals(Duration.ZERO, c.jvmWarmup());
    assertEquals(4, c.jvmWarmupClients());
    assertEquals(Duration.ofMillis(2500), compare("--jvm-warmup", "2500ms").jvmWarmup());
    assertEquals(CompareCommand.DEFAULT_JVM_SETTLE, c.jvmSettle());
    assertEquals(Duration.ZERO, compare("--jvm-settle", "0s").jvmSettle());
    for (String[] args :
        List.of(
            new String[] {"--jvm-warmup", "-1s"},
            new String[] {"--jvm-warmup", "soon"},
            new String[] {"--jvm-settle", "-5s"},
            new String[] {"--jvm-warmup-clients", "0"})) {
      assertThrows(UsageException.class, () -> compare(args), String.join(" ", args));
    }
  }

  @Test
  void repeatIsOneByDefaultAndMustBePositive() throws UsageException {
    assertEquals(1, compare().repeat());
    assertEquals(5, compare("--repeat", "5").repeat());
    for (String[] args :
        List.of(
            new String[] {"--repeat", "0"},
            new String[] {"--repeat", "-2"},
            new String[] {"--repeat", "twice"},
            new String[] {"--repeat"})) {
      assertThrows(UsageException.class, () -> compare(args), String.join(" ", args));
    }
    // The warm-up belongs to compare; failover has no such flag.
    assertThrows(
        UsageException.class,
        () ->
            FailoverCommand.parse(
                new String[] {"--raft-jar", jar.toString(), "--jvm-warmup", "1s"}, quiet));
  }

  @Test
  void failoverKillsHalfwayByDefaultAndOnlyWithinTheDuration() throws UsageException {
    String[] base = {"--raft-jar", jar.toString(), "--duration", "6s"};
    FailoverCommand f = FailoverCommand.parse(base, quiet);
    assertEquals(Duration.ofSeconds(3), f.killAfter());
    assertEquals(16, f.clients());
    FailoverCommand g =
        FailoverCommand.parse(
            new String[] {"--raft-jar", jar.toString(), "--kill-after", "1s", "--clients", "3"},
            quiet);
    assertEquals(Duration.ofSeconds(1), g.killAfter());
    assertEquals(3, g.clients());
    assertThrows(
        UsageException.class,
        () ->
            FailoverCommand.parse(
                new String[] {
                  "--raft-jar", jar.toString(), "--duration", "2s", "--kill-after", "2s"
                },
                quiet));
  }

  @Test
  void theCommandLineReportsUsageErrorsWithExitCodeTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, LoadMain.run(new String[] {"compare", "--nodes", "2"}, quiet, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--nodes must be 3 or 5"));
    assertEquals(2, LoadMain.run(new String[] {"failover", "--nope", "1"}, quiet, e));
    assertEquals(
        2, LoadMain.run(new String[] {"run", "--cluster", "1=h:1", "--history"}, quiet, e));
  }

  @Test
  void nodeJvmsGetTheWholeHeapCommittedAndTouchedAtStart() {
    List<String> options = LocalCluster.jvmOptions("3g");
    assertTrue(options.contains("-Xms3g"), options.toString());
    assertTrue(options.contains("-Xmx3g"), options.toString());
    assertTrue(options.contains("-XX:+AlwaysPreTouch"), options.toString());
  }
}
