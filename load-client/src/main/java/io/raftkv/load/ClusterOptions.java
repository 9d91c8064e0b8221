package io.raftkv.load;

import io.raftkv.core.RaftConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options {@code compare} and {@code failover} share: which configurations to run, how to start
 * their local clusters, where to write, and the load of every point. Workload and client flags
 * ({@code --mix}, {@code --keys}, {@code --warmup}, {@code --duration}, ...) are parsed by {@link
 * LoadOptions#parse}, so they mean exactly what they mean for {@code run}.
 *
 * @param configs the configurations, in the order they run and are reported
 * @param durability the nodes' {@code --durability}
 * @param linkDelay passed to every node as {@code --link-delay} and applied by the load client to
 *     every request it sends, so both legs of a client round trip are delayed
 * @param nodeHeap every node JVM's heap ({@code -Xms} and {@code -Xmx}, pre-touched), e.g. {@code
 *     2g}: without log compaction a node keeps every entry of the run in memory, about 250 bytes
 *     per 100-byte put
 * @param load the load of one point; its cluster, client count and output are replaced per point
 * @param history a directory for one history file per configuration, or null
 */
public record ClusterOptions(
    List<ClusterConfig> configs,
    String durability,
    int nodes,
    Duration linkDelay,
    String nodeHeap,
    Path raftJar,
    Path out,
    LoadOptions load,
    Path history) {

  /** The default {@code --node-heap}: room for about eight million entries. */
  static final String DEFAULT_NODE_HEAP = "2g";

  private static final Pattern HEAP_SIZE = Pattern.compile("([1-9][0-9]{0,5})([mMgG])");

  /** Flags handed to {@code run}'s parser unchanged. */
  static final Set<String> LOAD_FLAGS =
      Set.of(
          "--mix",
          "--keys",
          "--distribution",
          "--seed",
          "--value-size",
          "--warmup",
          "--duration",
          "--rate",
          "--timeout",
          "--io-threads",
          "--fast-path-max-in-flight",
          "--fast-path-straggler-timeout");

  static final String USAGE =
      String.join(
          "\n",
          "  --variants a,b             variants to run (default: every preset: "
              + String.join(",", RaftConfig.PRESETS)
              + ")",
          "  --configs name:variant[:k=v;k=v],...  labelled configurations instead of --variants",
          "  --ablation VARIANT         the variant, and the variant with each flag of "
              + String.join(",", RaftConfig.FLAGS)
              + " flipped alone",
          "  --set key=value            a setting for every node (repeatable)",
          "  --durability fsync         fsync | nosync | memory",
          "  --nodes 3                  3 or 5 nodes on 127.0.0.1 ... 127.0.0.5",
          "  --link-delay 0ms           emulated one-way delay on every link, client links"
              + " included",
          "  --node-heap 2g             each node JVM's heap, -Xms = -Xmx, pre-touched (nodes keep the whole log in memory)",
          "  --raft-jar PATH            the server jar (default: raft/target/raft.jar found from"
              + " this jar)",
          "  --out DIR                  output directory (default results/<date>-<time>-<command>)",
          "  --history DIR              one JSON-lines history per configuration, for check",
          "  --mix, --keys, --distribution, --seed, --value-size, --warmup, --duration, --rate,",
          "  --timeout, --io-threads, --fast-path-max-in-flight, --fast-path-straggler-timeout",
          "                             as for run");

  /** Handles the flags of one command; returns false for a flag it does not know. */
  interface CommandFlags {
    boolean accept(String flag, String value) throws UsageException;
  }

  /** Parses {@code args}, giving flags not shared by both commands to {@code own} first. */
  static ClusterOptions parse(String command, String[] args, CommandFlags own)
      throws UsageException {
    List<String> variants = null;
    String configs = null;
    String ablation = null;
    Map<String, String> common = new LinkedHashMap<>();
    String durability = "fsync";
    int nodes = 3;
    Duration linkDelay = Duration.ZERO;
    String nodeHeap = DEFAULT_NODE_HEAP;
    Path raftJar = null;
    Path out = null;
    Path history = null;
    List<Flags.Flag> load = new ArrayList<>();
    for (Flags.Flag f : Flags.split(args)) {
      String flag = f.name();
      String value = f.value();
      if (own.accept(flag, value)) {
        continue;
      }
      if (LOAD_FLAGS.contains(flag)) {
        load.add(f);
        continue;
      }
      switch (flag) {
        case "--variants" -> variants = List.of(value.split(",", -1));
        case "--configs" -> configs = value;
        case "--ablation" -> ablation = value;
        case "--set" -> common.putAll(ClusterConfig.parseSettings(value.split(",", -1), "--set"));
        case "--durability" -> durability = durability(value);
        case "--nodes" -> {
          nodes = LoadOptions.positiveInt(flag, value);
          if (nodes != 3 && nodes != 5) {
            throw new UsageException("--nodes must be 3 or 5: " + value);
          }
        }
        case "--link-delay" -> linkDelay = LoadOptions.parseDuration(flag, value, true);
        case "--node-heap" -> nodeHeap = heapSize(value);
        case "--raft-jar" -> raftJar = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--history" -> history = Path.of(value);
        default -> throw new UsageException("unknown flag for " + command + ": " + flag);
      }
    }
    int given = (variants != null ? 1 : 0) + (configs != null ? 1 : 0) + (ablation != null ? 1 : 0);
    if (given > 1) {
      throw new UsageException("give only one of --variants, --configs and --ablation");
    }
    List<ClusterConfig> list;
    if (configs != null) {
      list = ClusterConfig.parseList(configs, common);
    } else if (ablation != null) {
      list = ClusterConfig.ablation(ablation, common);
    } else {
      list = ClusterConfig.ofVariants(variants == null ? RaftConfig.PRESETS : variants, common);
    }
    if (list.stream().map(ClusterConfig::label).distinct().count() != list.size()) {
      throw new UsageException("two configurations have the same name");
    }
    // A placeholder cluster: the real one is known only once the nodes are started.
    load.add(new Flags.Flag("--cluster", "1=127.0.0.1:1"));
    load.add(new Flags.Flag("--out", "unused"));
    // The client's half of the link delay: the nodes delay their replies, the client its requests.
    load.add(new Flags.Flag("--client-delay", linkDelay.toNanos() / 1000 + "us"));
    LoadOptions template = LoadOptions.parse(Flags.join(load));
    if (template.ops() > 0) {
      throw new UsageException(command + " measures a fixed --duration per point, not --ops");
    }
    if (out == null) {
      out =
          Path.of(
              "results",
              LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss"))
                  + "-"
                  + command);
    }
    Path jar = raftJar == null ? RaftJar.locate() : raftJar;
    if (!Files.isRegularFile(jar)) {
      throw new UsageException(
          "server jar not found: "
              + jar
              + " (build it with `mvn -B -q package -DskipTests`, or"
              + " give --raft-jar)");
    }
    return new ClusterOptions(
        list, durability, nodes, linkDelay, nodeHeap, jar.toAbsolutePath(), out, template, history);
  }

  /** A JVM heap size as {@code -Xmx} takes it: a number of megabytes or gigabytes, 64m at least. */
  static String heapSize(String value) throws UsageException {
    Matcher m = HEAP_SIZE.matcher(value);
    if (!m.matches()) {
      throw new UsageException("--node-heap must be like 512m or 2g: " + value);
    }
    long megabytes = Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
    if (megabytes < 64) {
      throw new UsageException("--node-heap must be at least 64m: " + value);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static String durability(String value) throws UsageException {
    if (!List.of("fsync", "nosync", "memory").contains(value)) {
      throw new UsageException("--durability must be fsync, nosync or memory: " + value);
    }
    return value;
  }

  /** How the nodes of {@code config} are started. */
  LocalCluster.Spec spec(ClusterConfig config) {
    return new LocalCluster.Spec(config, durability, nodes, linkDelay, nodeHeap, raftJar);
  }

  /** The link delay as people write it, e.g. {@code 1ms}, {@code 250us}, {@code none}. */
  String linkDelayText() {
    if (linkDelay.isZero()) {
      return "none";
    }
    long micros = linkDelay.toNanos() / 1000;
    return micros % 1000 == 0 ? micros / 1000 + "ms" : micros + "us";
  }
}
