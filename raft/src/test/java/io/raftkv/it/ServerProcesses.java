package io.raftkv.it;

import io.raftkv.server.FreePorts;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real server processes ({@code java -jar raft/target/raft.jar server ...}) on
 * 127.0.0.1, 127.0.0.2, 127.0.0.3, ..., each with its own data directory, for the {@code *IT}
 * tests. Nodes can be killed with SIGKILL ({@link #kill}), stopped with SIGTERM ({@link #stop}) and
 * restarted on the same data. {@link #close()} kills every process it started; every wait is
 * bounded. Each node's output goes to {@code node-N.log} beside the data directories.
 */
final class ServerProcesses implements AutoCloseable {
  private final Path jar;
  private final Path root;
  private final String durability;
  private final Map<Integer, String> hosts = new LinkedHashMap<>();
  private final Map<Integer, Integer> ports = new LinkedHashMap<>();
  private final Map<Integer, Process> processes = new LinkedHashMap<>();
  private final List<Process> extras = new ArrayList<>();

  ServerProcesses(int nodes, Path root, String durability) throws IOException {
    this.jar = Path.of("target", "raft.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn -B package` first");
    }
    this.root = root;
    this.durability = durability;
    for (int id = 1; id <= nodes; id++) {
      String host = "127.0.0." + id;
      hosts.put(id, host);
      ports.put(id, freePort(host));
    }
  }

  private static int freePort(String host) throws IOException {
    return FreePorts.pick(InetAddress.getByName(host));
  }

  /** The --cluster value: {@code 1=127.0.0.1:PORT,2=...}. */
  String clusterSpec() {
    List<String> parts = new ArrayList<>();
    hosts.forEach((id, host) -> parts.add(id + "=" + host + ":" + ports.get(id)));
    return String.join(",", parts);
  }

  String host(int id) {
    return hosts.get(id);
  }

  int port(int id) {
    return ports.get(id);
  }

  List<Integer> ids() {
    return List.copyOf(hosts.keySet());
  }

  Path dataDir(int id) {
    return root.resolve("node-" + id);
  }

  /** Starts node {@code id} on its data directory (created if needed). */
  Process start(int id) throws IOException {
    return start(id, List.of());
  }

  /**
   * Starts a second process for node {@code id} beside the running one (same data directory); it is
   * tracked apart and killed by {@link #close()}.
   */
  Process startDuplicate(int id) throws IOException {
    Process running = processes.remove(id);
    Process duplicate = start(id);
    extras.add(duplicate);
    if (running != null) {
      processes.put(id, running);
    }
    return duplicate;
  }

  Process start(int id, List<String> extraArgs) throws IOException {
    Files.createDirectories(dataDir(id));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(
        List.of(
            "server",
            "--id",
            Integer.toString(id),
            "--cluster",
            clusterSpec(),
            "--data",
            dataDir(id).toString(),
            "--durability",
            durability));
    cmd.addAll(extraArgs);
    Path log = root.resolve("node-" + id + ".log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    processes.put(id, p);
    return p;
  }

  void startAll() throws IOException {
    for (int id : ids()) {
      start(id);
    }
  }

  /** SIGKILL: the process dies at once, without running shutdown hooks. */
  void kill(int id) throws InterruptedException {
    Process p = processes.remove(id);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then waits up to 15 s for a graceful exit; returns the exit code. */
  int stop(int id) throws InterruptedException {
    Process p = processes.remove(id);
    if (p == null) {
      return -1;
    }
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("node " + id + " ignored SIGTERM for 15 s");
    }
    return p.exitValue();
  }

  boolean isRunning(int id) {
    Process p = processes.get(id);
    return p != null && p.isAlive();
  }

  /** What node {@code id} logged so far. */
  String log(int id) throws IOException {
    Path log = root.resolve("node-" + id + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /**
   * Asks every running node who leads until one names a leader that claims the role itself, or the
   * timeout passes; returns the leader's id or 0.
   */
  int awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long requestId = 1;
    while (System.nanoTime() < deadline) {
      for (int id : ids()) {
        if (!isRunning(id)) {
          continue;
        }
        try (WireProbe probe = WireProbe.client(host(id), port(id), 500)) {
          probe.send(new Frame.LeaderQuery(requestId));
          Frame f = probe.receive();
          if (f instanceof Frame.LeaderInfo info && info.leaderId() == id) {
            return id;
          }
        } catch (IOException | RuntimeException e) {
          // not up yet, or no leader: ask the next one
        }
        requestId++;
      }
      Thread.sleep(50);
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    List<Process> all = new ArrayList<>(processes.values());
    all.addAll(extras);
    for (Process p : all) {
      p.destroyForcibly();
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    extras.clear();
  }
}
