package io.raftkv.cli;

import io.raftkv.client.CasOutcome;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.Leader;
import io.raftkv.client.RaftClient;
import io.raftkv.kv.Bytes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The command line's client commands, for people: {@code put}, {@code get}, {@code delete}, {@code
 * cas}, {@code leader}, {@code status}. Keys and values are UTF-8 text.
 *
 * <pre>
 * put KEY VALUE            prints OK
 * get KEY                  prints the value, or (absent)
 * delete KEY               prints OK
 * cas KEY EXPECTED NEW     prints swapped, or not swapped (current: X)
 * cas KEY --absent NEW     the same, expecting KEY to be absent
 * leader                   prints: leader 2 at 127.0.0.1:7002 (term 5)
 * status [--node ID]       the node's status fields as aligned key/value lines (every node
 *                          without --node)
 * every command:           --cluster 1=host:port,2=host:port,...  (required)
 *                          --timeout 5s   (overall deadline; 500ms, 5s, 1m; default 10s)
 * </pre>
 *
 * <p>Exit codes: {@link #OK} 0 success; {@link #FAILED} 1 the operation failed (no leader
 * reachable, outcome unknown, a node did not answer; the message goes to {@code err}); {@link
 * #USAGE} 2 a usage error (unknown command or flag, missing or extra argument; the message names
 * it); {@link #NO} 3 the operation worked and the answer is "no": {@code get} of an absent key, or
 * a {@code cas} that did not swap. Code 3 lets scripts tell an absent key from an empty value
 * without parsing output.
 *
 * <p>Each command uses a client of its own and closes it before returning.
 */
public final class ClientCommands {
  /** Success. */
  public static final int OK = 0;

  /** The operation failed; the reason is on the error stream. */
  public static final int FAILED = 1;

  /** Bad command line; the error stream names the problem. */
  public static final int USAGE = 2;

  /** A get found no value, or a cas did not swap. */
  public static final int NO = 3;

  /** The commands {@link #run} accepts. */
  public static final Set<String> COMMANDS =
      Set.of("put", "get", "delete", "cas", "leader", "status");

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private ClientCommands() {}

  /** The usage text of the client commands. */
  public static String usage() {
    return String.join(
        "\n",
        "usage: <command> [args] --cluster 1=host:port,2=host:port,... [--timeout 10s]",
        "  put KEY VALUE",
        "  get KEY                    (exit 3 if absent)",
        "  delete KEY",
        "  cas KEY EXPECTED NEW       (or cas KEY --absent NEW; exit 3 if not swapped)",
        "  leader",
        "  status [--node ID]");
  }

  /**
   * Runs {@code command} with {@code args} (the words after the command), printing results to
   * {@code out} and errors to {@code err}; returns the exit code. Blocks until the operation ends,
   * at most about the {@code --timeout}.
   */
  public static int run(String command, String[] args, PrintStream out, PrintStream err) {
    Parsed p;
    try {
      p = Parsed.parse(command, args);
    } catch (UsageException e) {
      err.println("usage error: " + e.getMessage());
      err.println(usage());
      return USAGE;
    }
    ClientOptions options =
        ClientOptions.of(p.cluster)
            .withOperationDeadline(p.timeout)
            .withRequestTimeout(
                p.timeout.compareTo(MAX_REQUEST_TIMEOUT) < 0 ? p.timeout : MAX_REQUEST_TIMEOUT)
            .withIoThreads(1);
    try (RaftClient client = RaftClient.connect(options)) {
      return execute(client, p, out, err);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println("error: " + message(cause));
      return FAILED;
    } catch (TimeoutException e) {
      err.println("error: " + command + " did not finish within " + format(p.timeout));
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return FAILED;
    }
  }

  private static int execute(RaftClient client, Parsed p, PrintStream out, PrintStream err)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<String> a = p.positional;
    switch (p.command) {
      case "put":
        await(client.put(Bytes.utf8(a.get(0)), Bytes.utf8(a.get(1))), p);
        out.println("OK");
        return OK;
      case "delete":
        await(client.delete(Bytes.utf8(a.get(0))), p);
        out.println("OK");
        return OK;
      case "get":
        {
          Optional<Bytes> v = await(client.get(Bytes.utf8(a.get(0))), p);
          out.println(v.isPresent() ? v.get().toUtf8() : "(absent)");
          return v.isPresent() ? OK : NO;
        }
      case "cas":
        {
          Optional<Bytes> expected =
              p.absent ? Optional.empty() : Optional.of(Bytes.utf8(a.get(1)));
          Bytes value = Bytes.utf8(a.get(a.size() - 1));
          CasOutcome r = await(client.cas(Bytes.utf8(a.get(0)), expected, value), p);
          if (r.swapped()) {
            out.println("swapped");
            return OK;
          }
          out.println(
              "not swapped (current: "
                  + (r.current().isPresent() ? r.current().get().toUtf8() : "(absent)")
                  + ")");
          return NO;
        }
      case "leader":
        {
          Leader l = await(client.leader(), p);
          out.println("leader " + l.nodeId() + " at " + l.address() + " (term " + l.term() + ")");
          return OK;
        }
      case "status":
        return status(client, p, out, err);
      default:
        throw new AssertionError(p.command);
    }
  }

  private static int status(RaftClient client, Parsed p, PrintStream out, PrintStream err)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (p.node != null) {
      printAligned(await(client.status(p.node), p), "", out);
      return OK;
    }
    Map<Integer, CompletableFuture<Map<String, String>>> all = new LinkedHashMap<>();
    for (int id : p.cluster.keySet()) {
      all.put(id, client.status(id));
    }
    int code = OK;
    for (Map.Entry<Integer, CompletableFuture<Map<String, String>>> e : all.entrySet()) {
      String header = "node " + e.getKey() + " (" + p.cluster.get(e.getKey()) + ")";
      try {
        Map<String, String> fields = await(e.getValue(), p);
        out.println(header);
        printAligned(fields, "  ", out);
      } catch (ExecutionException ex) {
        out.println(header + ": unreachable");
        err.println("error: " + message(ex.getCause() == null ? ex : ex.getCause()));
        code = FAILED;
      }
    }
    return code;
  }

  private static void printAligned(Map<String, String> fields, String indent, PrintStream out) {
    int width = 0;
    for (String k : fields.keySet()) {
      width = Math.max(width, k.length());
    }
    for (Map.Entry<String, String> f : fields.entrySet()) {
      String key = f.getKey();
      out.println(indent + key + " ".repeat(width - key.length() + 2) + f.getValue());
    }
  }

  /** Waits for {@code f}, bounded by the deadline plus a margin: the client fails it by then. */
  private static <T> T await(CompletableFuture<T> f, Parsed p)
      throws ExecutionException, TimeoutException, InterruptedException {
    return f.get(p.timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /**
   * Parses {@code 500ms}, {@code 5s}, {@code 2m}; a bare number is seconds.
   *
   * @throws IllegalArgumentException if it is not one of those, or not positive
   */
  static Duration parseDuration(String s) {
    String t = s.trim();
    long unitMs;
    String number;
    if (t.endsWith("ms")) {
      unitMs = 1;
      number = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      unitMs = 1000;
      number = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unitMs = 60_000;
      number = t.substring(0, t.length() - 1);
    } else {
      unitMs = 1000;
      number = t;
    }
    long n;
    try {
      n = Long.parseLong(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a duration like 500ms, 5s or 1m", e);
    }
    if (n <= 0 || n > Long.MAX_VALUE / unitMs / 1_000_000) {
      throw new IllegalArgumentException("'" + s + "' must be a positive duration");
    }
    return Duration.ofMillis(n * unitMs);
  }

  /** A command line that is wrong; the message names what. */
  private static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** A checked command line. */
  private static final class Parsed {
    String command;
    Map<Integer, String> cluster;
    Duration timeout = DEFAULT_TIMEOUT;
    Integer node;
    boolean absent;
    final List<String> positional = new ArrayList<>();

    static Parsed parse(String command, String[] args) throws UsageException {
      if (command == null || !COMMANDS.contains(command)) {
        throw new UsageException(
            "unknown command '"
                + command
                + "'; expected one of put, get, delete, cas, leader, status");
      }
      Parsed p = new Parsed();
      p.command = command;
      String clusterSpec = null;
      String nodeSpec = null;
      boolean flagsEnded = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (flagsEnded || !arg.startsWith("--")) {
          p.positional.add(arg);
          continue;
        }
        if (arg.equals("--")) {
          flagsEnded = true;
          continue;
        }
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        switch (name) {
          case "--cluster":
          case "--timeout":
          case "--node":
            if (name.equals("--node") && !command.equals("status")) {
              throw new UsageException("flag --node is only for status, not " + command);
            }
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new UsageException("flag " + name + " needs a value");
              }
              value = args[++i];
            }
            if (name.equals("--cluster")) {
              clusterSpec = value;
            } else if (name.equals("--timeout")) {
              try {
                p.timeout = parseDuration(value);
              } catch (IllegalArgumentException e) {
                throw new UsageException("--timeout: " + e.getMessage());
              }
            } else {
              nodeSpec = value;
            }
            break;
          case "--absent":
            if (!command.equals("cas") || value != null) {
              throw new UsageException("flag --absent is only for cas, as in cas KEY --absent NEW");
            }
            p.absent = true;
            break;
          default:
            throw new UsageException("unknown flag " + name + " for " + command);
        }
      }
      if (clusterSpec == null) {
        throw new UsageException("missing --cluster (as in --cluster 1=127.0.0.1:7001,...)");
      }
      try {
        p.cluster = ClientOptions.parseCluster(clusterSpec);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--cluster: " + e.getMessage());
      }
      if (nodeSpec != null) {
        try {
          p.node = Integer.parseInt(nodeSpec);
        } catch (NumberFormatException e) {
          throw new UsageException("--node: '" + nodeSpec + "' is not a node id");
        }
        if (!p.cluster.containsKey(p.node)) {
          throw new UsageException(
              "--node " + p.node + " is not in --cluster (ids " + p.cluster.keySet() + ")");
        }
      }
      p.checkArity();
      return p;
    }

    private void checkArity() throws UsageException {
      List<String> names;
      switch (command) {
        case "put":
          names = List.of("KEY", "VALUE");
          break;
        case "get":
        case "delete":
          names = List.of("KEY");
          break;
        case "cas":
          names = absent ? List.of("KEY", "NEW") : List.of("KEY", "EXPECTED", "NEW");
          break;
        default:
          names = List.of();
      }
      if (positional.size() < names.size()) {
        throw new UsageException(
            command
                + ": missing "
                + names.get(positional.size())
                + " (usage: "
                + command
                + (names.isEmpty() ? "" : " " + String.join(" ", names))
                + ")");
      }
      if (positional.size() > names.size()) {
        throw new UsageException(
            command + ": unexpected argument '" + positional.get(names.size()) + "'");
      }
    }
  }
}
