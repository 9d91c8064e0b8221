package io.raftkv.load;

import io.raftkv.client.ClientConnectionPool;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.Leader;
import io.raftkv.client.RaftClient;
import io.raftkv.server.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A cluster of child JVMs ({@code java -jar raft.jar server ...}) on 127.0.0.1, 127.0.0.2, ... with
 * free ports and fresh data directories in a temporary folder, for {@code compare} and {@code
 * failover}. {@link #close} stops every child (SIGTERM, then SIGKILL after a grace period), keeps
 * the nodes' logs in a directory of the caller's choosing and deletes the data; a shutdown hook
 * does the same if the load client is interrupted (Ctrl-C). Every wait is bounded.
 */
public final class LocalCluster implements AutoCloseable {
  /** How the nodes are started. */
  public record Spec(
      ClusterConfig config,
      String durability,
      int nodes,
      Duration linkDelay,
      String nodeHeap,
      Path raftJar) {}

  private static final long STOP_GRACE_MILLIS = 5_000;

  private final Spec spec;
  private final Path root;
  private final Map<Integer, String> addresses = new LinkedHashMap<>();
  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final ClientConnectionPool control;
  private final RaftClient controlSession;
  private final Thread hook;
  private volatile Path keepLogsIn;
  private boolean closed;

  private LocalCluster(Spec spec) throws IOException {
    this.spec = spec;
    this.root = Files.createTempDirectory("raftkv-" + spec.config().label() + "-");
    for (int id = 1; id <= spec.nodes(); id++) {
      String host = "127.0.0." + id;
      addresses.put(id, host + ":" + freePort(host));
    }
    this.control =
        ClientConnectionPool.open(
            ClientOptions.of(addresses)
                .withIoThreads(1)
                .withRequestTimeout(Duration.ofMillis(500))
                .withOperationDeadline(Duration.ofSeconds(2)));
    this.controlSession = control.newSession();
    this.hook = new Thread(this::stopAll, "raftkv-local-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts every node of {@code spec}; does not wait for a leader ({@link #awaitLeader}). */
  public static LocalCluster start(Spec spec) throws IOException {
    LocalCluster c = new LocalCluster(spec);
    try {
      for (int id : c.addresses.keySet()) {
        c.startNode(id);
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static int freePort(String host) throws IOException {
    return FreePorts.pick(InetAddress.getByName(host));
  }

  /** The {@code --cluster} value: {@code 1=127.0.0.1:PORT,2=127.0.0.2:PORT,...}. */
  public String clusterSpec() {
    List<String> parts = new ArrayList<>();
    addresses.forEach((id, a) -> parts.add(id + "=" + a));
    return String.join(",", parts);
  }

  public Spec spec() {
    return spec;
  }

  /**
   * A node JVM's options for a heap of {@code heap} ({@code 2g}): the whole heap committed and
   * touched before the node starts, because a heap that grows during a run makes the kernel zero
   * fresh pages inside measured windows (a third of a fast-path leader's CPU in one profiled
   * window), at a different moment in every cluster; and a node out of heap stops as if killed,
   * instead of limping on with dead threads.
   */
  static List<String> jvmOptions(String heap) {
    return List.of(
        "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-XX:+ExitOnOutOfMemoryError");
  }

  /** The command line of node {@code id}. */
  List<String> command(int id) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions(spec.nodeHeap()));
    cmd.add("-jar");
    cmd.add(spec.raftJar().toString());
    cmd.addAll(
        List.of(
            "server",
            "--id",
            Integer.toString(id),
            "--cluster",
            clusterSpec(),
            "--data",
            root.resolve("node-" + id).toString(),
            "--variant",
            spec.config().variant(),
            "--durability",
            spec.durability()));
    if (!spec.linkDelay().isZero()) {
      cmd.add("--link-delay");
      cmd.add(spec.linkDelay().toNanos() / 1000 + "us");
    }
    spec.config()
        .settings()
        .forEach(
            (k, v) -> {
              cmd.add("--set");
              cmd.add(k + "=" + v);
            });
    return cmd;
  }

  private void startNode(int id) throws IOException {
    Files.createDirectories(root.resolve("node-" + id));
    Process p =
        new ProcessBuilder(command(id))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(root.resolve("node-" + id + ".log").toFile()))
            .start();
    synchronized (this) {
      processes.put(id, p);
    }
  }

  /**
   * Waits until a node names a leader that reports the leader role itself and every other node this
   * cluster runs follows it in the same term; returns its id. Every node, not a majority: a node
   * that started late (its JVM still touching its heap, say) and had not heard from the leader yet
   * could otherwise start an election inside the first measured window.
   *
   * @throws IOException if a node exits meanwhile or no leader appears within {@code timeout}
   */
  public int awaitLeader(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    for (int attempt = 0; attempt < 1000 && System.nanoTime() < deadline; attempt++) {
      checkAlive();
      try {
        Leader leader = controlSession.leader().get(3, TimeUnit.SECONDS);
        int id = leader.nodeId();
        Map<String, String> own = isRunning(id) ? status(id) : Map.of();
        if ("LEADER".equals(own.get("role"))) {
          String laggard = firstNodeNotFollowing(id, own.get("term"));
          if (laggard == null) {
            return id;
          }
          last = laggard;
        } else {
          last = "node " + id + " was named but does not lead (yet)";
        }
      } catch (ExecutionException | TimeoutException e) {
        last = String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
      }
      Thread.sleep(50);
    }
    throw new IOException("no leader within " + timeout.toSeconds() + " s: " + last);
  }

  /** The first other node that does not name {@code leader} in {@code term}, described; or null. */
  private String firstNodeNotFollowing(int leader, String term) throws InterruptedException {
    // Asked all at once, so a node that does not answer yet costs one timeout, not one per node.
    Map<Integer, CompletableFuture<Map<String, String>>> asked = new LinkedHashMap<>();
    for (int id : snapshot().keySet()) {
      if (id != leader) {
        asked.put(id, statusAsync(id));
      }
    }
    for (Map.Entry<Integer, CompletableFuture<Map<String, String>>> e : asked.entrySet()) {
      int id = e.getKey();
      Map<String, String> st;
      try {
        st = e.getValue().get(3, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException ex) {
        return "node " + id + " does not answer yet";
      }
      if (!String.valueOf(leader).equals(st.get("leader")) || !term.equals(st.get("term"))) {
        return "node "
            + id
            + " follows "
            + st.get("leader")
            + " in term "
            + st.get("term")
            + ", not leader "
            + leader
            + " in term "
            + term;
      }
    }
    return null;
  }

  /** Fails with the node's log tail if a node this cluster started has exited. */
  private void checkAlive() throws IOException {
    for (Map.Entry<Integer, Process> e : snapshot().entrySet()) {
      if (!e.getValue().isAlive()) {
        throw new IOException(
            "node "
                + e.getKey()
                + " exited with code "
                + e.getValue().exitValue()
                + "; its log ends:\n"
                + logTail(e.getKey()));
      }
    }
  }

  private String logTail(int id) {
    try {
      List<String> lines = Files.readAllLines(root.resolve("node-" + id + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * The status fields of node {@code id} ({@code role}, {@code commitIndex}, {@code fsyncs}...).
   */
  public Map<String, String> status(int id) throws IOException, InterruptedException {
    try {
      return statusAsync(id).get(3, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("no status from node " + id + ": " + e.getMessage(), e);
    }
  }

  /** The status of node {@code id}, asked without blocking. */
  public CompletableFuture<Map<String, String>> statusAsync(int id) {
    return controlSession.status(id);
  }

  /** Kills node {@code id} with SIGKILL (no shutdown hook runs in it) and waits for its exit. */
  public void kill(int id) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.remove(id);
    }
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public synchronized boolean isRunning(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  private synchronized Map<Integer, Process> snapshot() {
    return new LinkedHashMap<>(processes);
  }

  /** On {@link #close}, copies the nodes' logs into {@code dir} before deleting the data. */
  public void keepLogsIn(Path dir) {
    this.keepLogsIn = dir;
  }

  /**
   * SIGTERM to every node, SIGKILL to those still running after the grace period; then keeps the
   * logs (if asked) and deletes the data. Runs from {@link #close} or from the shutdown hook.
   */
  private void stopAll() {
    Map<Integer, Process> all;
    synchronized (this) {
      all = new LinkedHashMap<>(processes);
      processes.clear();
    }
    for (Process p : all.values()) {
      p.destroy();
    }
    long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
    for (Process p : all.values()) {
      try {
        long left = Math.max(1, deadline - System.currentTimeMillis());
        if (!p.waitFor(left, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    copyLogs();
    deleteRoot();
  }

  private void copyLogs() {
    Path dir = keepLogsIn;
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      for (int id : addresses.keySet()) {
        Path log = root.resolve("node-" + id + ".log");
        if (Files.exists(log)) {
          Files.copy(log, dir.resolve("node-" + id + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      System.err.println("warning: could not keep the node logs: " + e.getMessage());
    }
  }

  private void deleteRoot() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("warning: could not delete " + root + ": " + e.getMessage());
    }
  }

  /** Stops every node and deletes the data directories; the JVM's shutdown hook is removed. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    controlSession.close();
    control.close();
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (or ran) stopAll itself.
    }
  }
}
