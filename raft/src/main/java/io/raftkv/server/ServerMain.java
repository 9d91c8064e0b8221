package io.raftkv.server;

import io.raftkv.core.RaftConfig;
import io.raftkv.storage.DataDirectoryLockedException;
import io.raftkv.storage.Durability;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server} command: starts one node and runs it until SIGTERM (or a fatal error).
 *
 * <pre>
 * server --id 1 --cluster 1=127.0.0.1:7001,2=127.0.0.2:7002,3=127.0.0.3:7003 --data DIR
 *        [--variant vanilla] [--durability fsync|nosync|memory] [--cluster-id raftkv]
 *        [--link-delay 0ms] [--set KEY=VALUE]... [--config FILE]
 * </pre>
 *
 * A config file is a Java properties file with the same keys without the leading dashes ({@code
 * id}, {@code cluster}, {@code data}, ...); flags override it. Exit codes: 0 after a graceful stop,
 * 1 if the node cannot start (data directory locked, port in use) or stops on a fatal error, 2 for
 * wrong or missing flags.
 */
public final class ServerMain {
  /** Exit code for a usage error. */
  public static final int EXIT_USAGE = 2;

  /** Exit code for a node that could not start or stopped on an error. */
  public static final int EXIT_FAILURE = 1;

  static final String USAGE =
      "usage: server --id N --cluster 1=HOST:PORT,2=HOST:PORT,... --data DIR"
          + " [--variant vanilla] [--durability fsync|nosync|memory] [--cluster-id NAME]"
          + " [--link-delay 0ms] [--set KEY=VALUE]... [--config FILE]\n"
          + "variants: "
          + String.join(", ", RaftConfig.PRESETS)
          + "; --set keys: "
          + String.join(", ", RaftConfig.SETTINGS)
          + " (in a config file: set.KEY=VALUE)";

  private static final List<String> KEYS =
      List.of("id", "cluster", "data", "variant", "durability", "cluster-id", "link-delay");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s)?");

  private ServerMain() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the command until the node stops; returns the exit code. */
  public static int run(String[] args) {
    return run(args, System.err);
  }

  static int run(String[] args, PrintStream err) {
    ServerConfig config;
    try {
      config = parse(args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    if (config == null) {
      err.println(USAGE);
      return 0;
    }
    RaftServer server;
    try {
      server = RaftServer.start(config);
    } catch (DataDirectoryLockedException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILURE;
    } catch (IOException e) {
      err.println(
          "error: node "
              + config.id()
              + " cannot start: "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
      return EXIT_FAILURE;
    }
    // java.util.logging may already be shut down when this hook runs, so it reports on err.
    Thread hook =
        new Thread(
            () -> {
              err.println("node " + config.id() + ": stopping");
              server.close();
              err.println("node " + config.id() + ": stopped");
            },
            "raftkv-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (!server.loop().awaitStopped(Duration.ofSeconds(1))) {
        // The node runs until SIGTERM (the hook closes it) or a fatal error stops its loop.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable failure = server.loop().failure();
    server.close();
    if (failure != null) {
      err.println("error: node " + config.id() + " stopped: " + failure);
      return EXIT_FAILURE;
    }
    return 0;
  }

  /**
   * Parses the command line (and the config file it names) into a configuration; null for {@code
   * --help}.
   *
   * @throws UsageException naming the flag that is wrong or missing
   */
  static ServerConfig parse(String[] args) throws UsageException {
    Map<String, String> flags = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    int i = 0;
    if (args.length > 0 && args[0].equals("server")) {
      i = 1;
    }
    for (; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("--" + name + " needs a value");
      }
      if (name.equals("set")) {
        addSettings(settings, value, "--set");
        continue;
      }
      if (!KEYS.contains(name) && !name.equals("config")) {
        throw new UsageException("unknown flag --" + name);
      }
      if (flags.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> allSettings = new LinkedHashMap<>();
    String configFile = flags.remove("config");
    if (configFile != null) {
      values.putAll(readConfigFile(Path.of(configFile), allSettings));
    }
    values.putAll(flags);
    allSettings.putAll(settings);
    return toConfig(values, allSettings);
  }

  /** Adds {@code KEY=VALUE[,KEY=VALUE...]} to {@code settings}. */
  private static void addSettings(Map<String, String> settings, String text, String where)
      throws UsageException {
    for (String item : text.split(",", -1)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(
            where + ": '" + item + "' is not KEY=VALUE (for example batching=true)");
      }
      String key = item.substring(0, eq).strip();
      if (!RaftConfig.SETTINGS.contains(key)) {
        throw new UsageException(
            where
                + ": unknown setting '"
                + key
                + "'; known: "
                + String.join(", ", RaftConfig.SETTINGS));
      }
      settings.put(key, item.substring(eq + 1).strip());
    }
  }

  private static Map<String, String> readConfigFile(Path file, Map<String, String> settings)
      throws UsageException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--config: cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("set.")) {
        addSettings(settings, key.substring(4) + "=" + p.getProperty(key), "--config " + file);
        continue;
      }
      if (!KEYS.contains(key)) {
        throw new UsageException(
            "--config: unknown key '" + key + "' in " + file + "; keys are " + KEYS);
      }
      values.put(key, p.getProperty(key).strip());
    }
    return values;
  }

  private static ServerConfig toConfig(Map<String, String> v, Map<String, String> settings)
      throws UsageException {
    String idText = required(v, "id");
    int id;
    try {
      id = Integer.parseInt(idText);
    } catch (NumberFormatException e) {
      throw new UsageException("--id: '" + idText + "' is not a node id (a positive integer)");
    }
    if (id < 1) {
      throw new UsageException("--id: " + id + " is not a node id (a positive integer)");
    }
    Map<Integer, InetSocketAddress> members = parseCluster(required(v, "cluster"));
    if (!members.containsKey(id)) {
      throw new UsageException("--id: node " + id + " is not in --cluster " + members.keySet());
    }
    String variant = v.getOrDefault("variant", "vanilla");
    try {
      RaftConfig.preset(variant);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--variant: unknown variant '"
              + variant
              + "'; known: "
              + String.join(", ", RaftConfig.PRESETS));
    }
    try {
      RaftConfig.of(variant, settings);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--set: " + e.getMessage());
    }
    Durability durability;
    try {
      durability = Durability.parse(v.getOrDefault("durability", "fsync"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--durability: " + e.getMessage());
    }
    String data = v.get("data");
    if ((data == null || data.isBlank()) && durability != Durability.MEMORY) {
      throw new UsageException(
          "--data is required (durability " + durability.flagName() + " writes files)");
    }
    String clusterId = v.getOrDefault("cluster-id", ServerConfig.DEFAULT_CLUSTER_ID);
    if (clusterId.isEmpty()) {
      throw new UsageException("--cluster-id must not be empty");
    }
    Duration linkDelay = parseDuration(v.getOrDefault("link-delay", "0ms"));
    return new ServerConfig(
        id,
        members,
        data == null || data.isBlank() ? null : Path.of(data),
        variant,
        durability,
        clusterId,
        linkDelay,
        ServerConfig.DEFAULT_MAX_PENDING_CLIENT_REQUESTS,
        settings);
  }

  private static String required(Map<String, String> v, String key) throws UsageException {
    String value = v.get(key);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + key + " is required");
    }
    return value.strip();
  }

  /** Parses {@code 1=host:port,2=host:port,...}. */
  static Map<Integer, InetSocketAddress> parseCluster(String text) throws UsageException {
    Map<Integer, InetSocketAddress> members = new TreeMap<>();
    for (String item : text.split(",", -1)) {
      String member = item.strip();
      int eq = member.indexOf('=');
      int colon = member.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == member.length() - 1) {
        throw new UsageException(
            "--cluster: '" + member + "' is not ID=HOST:PORT (for example 1=127.0.0.1:7001)");
      }
      int id;
      int port;
      try {
        id = Integer.parseInt(member.substring(0, eq));
        port = Integer.parseInt(member.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UsageException(
            "--cluster: '" + member + "' is not ID=HOST:PORT (for example 1=127.0.0.1:7001)");
      }
      if (id < 1) {
        throw new UsageException("--cluster: node id " + id + " must be a positive integer");
      }
      if (port < 1 || port > 65535) {
        throw new UsageException("--cluster: port " + port + " of node " + id + " is not 1..65535");
      }
      InetSocketAddress address = new InetSocketAddress(member.substring(eq + 1, colon), port);
      if (address.isUnresolved()) {
        throw new UsageException("--cluster: cannot resolve host of '" + member + "'");
      }
      if (members.put(id, address) != null) {
        throw new UsageException("--cluster: node id " + id + " appears twice");
      }
    }
    return members;
  }

  /** Parses {@code 0}, {@code 250us}, {@code 5ms}, {@code 1s}. */
  static Duration parseDuration(String text) throws UsageException {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
      throw new UsageException(
          "--link-delay: '" + text + "' is not a duration (for example 0ms, 500us, 5ms, 1s)");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new UsageException("--link-delay: '" + text + "' is too large");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    switch (unit) {
      case "ns":
        return Duration.ofNanos(n);
      case "us":
        return Duration.ofNanos(n * 1000);
      case "ms":
        return Duration.ofMillis(n);
      default:
        return Duration.ofSeconds(n);
    }
  }

  /** A wrong or missing flag; the message names it. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
