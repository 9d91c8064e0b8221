package io.raftkv.client;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a client reaches a cluster and how long it tries. Immutable; the {@code with*} methods return
 * changed copies.
 *
 * <ul>
 *   <li>{@code cluster}: node id to client address {@code host:port}, as in {@code
 *       1=127.0.0.1:7001,2=127.0.0.1:7002} ({@link #parseCluster});
 *   <li>{@code requestTimeout} (default 2 s): how long one attempt on one node waits for an answer
 *       before the client tries the next node;
 *   <li>{@code operationDeadline} (default 10 s): how long one operation may take in total, every
 *       retry included; then it fails ({@link NoQuorumException} or {@link
 *       OutcomeUnknownException});
 *   <li>{@code retryBackoff} (default 50 ms) and {@code maxRetryBackoff} (default 1 s): the first
 *       and the largest pause before a retry; the pause doubles after each failed attempt, with
 *       jitter;
 *   <li>{@code maxAttempts} (default 200): an upper bound on attempts per operation besides the
 *       deadline;
 *   <li>{@code ioThreads} (default 2): event loop threads of a {@link ClientConnectionPool}, shared
 *       by all its sessions;
 *   <li>{@code fastPath} (default off): send put, delete and multiPut to every node as fast-path
 *       updates (the {@code fastpath} variant, Skyros); they complete on a supermajority of
 *       acknowledgments in one term, one of them the leader's, or fall back to the leader;
 *   <li>{@code fastPathTimeout} (default 50 ms): how long a fast-path update waits for
 *       acknowledgments before it falls back to the ordered path with the same (clientId, seq);
 *   <li>{@code fastPathStragglerTimeout} (default zero: off): when positive, once the leader and a
 *       majority of one term have accepted a fast-path update, how much longer it waits for the
 *       rest of a supermajority before it falls back the same way. In a 3-node cluster the
 *       supermajority is every replica, so one slow or paused replica holds every update in flight
 *       until it answers or {@code fastPathTimeout} passes, while the ordered path needs only the
 *       leader and a majority, which have the update already. Off by default because it did not pay
 *       on the reference machine: at 64 clients, 5 ms and 20 ms measured no better than off
 *       (README, "Results");
 *   <li>{@code fastPathMaxInFlight} (default 0: no limit): when positive, an update takes the fast
 *       path only while fewer than this many fast-path attempts of the same {@link
 *       ClientConnectionPool} are in flight; the others go straight to the leader. A fast-path
 *       update costs every replica a request and an acknowledgment and is then ordered anyway: it
 *       saves a round trip at the price of work, which under high concurrency the leader's batching
 *       would have amortised. On the reference machine a limit of 8 at 64 clients measured slower
 *       than no limit (README, "Results"), so it is off by default;
 *   <li>{@code linkDelay} (default none): an emulated one-way delay on everything the client sends,
 *       matching the server's {@code --link-delay} on its side of the link.
 * </ul>
 */
public final class ClientOptions {
  /** The default of {@link #fastPathStragglerTimeout()}: zero, off. */
  public static final Duration DEFAULT_FAST_PATH_STRAGGLER_TIMEOUT = Duration.ZERO;

  /** The default of {@link #fastPathMaxInFlight()}. */
  public static final int DEFAULT_FAST_PATH_MAX_IN_FLIGHT = 0;

  // Not final so that the with* methods can change one field of a copy; nothing else writes them,
  // so an instance never changes once returned.
  private Map<Integer, String> cluster;
  private Duration requestTimeout = Duration.ofSeconds(2);
  private Duration operationDeadline = Duration.ofSeconds(10);
  private Duration retryBackoff = Duration.ofMillis(50);
  private Duration maxRetryBackoff = Duration.ofSeconds(1);
  private int maxAttempts = 200;
  private int ioThreads = 2;
  private boolean fastPath;
  private Duration fastPathTimeout = Duration.ofMillis(50);
  private Duration fastPathStragglerTimeout = DEFAULT_FAST_PATH_STRAGGLER_TIMEOUT;
  private int fastPathMaxInFlight = DEFAULT_FAST_PATH_MAX_IN_FLIGHT;
  private Duration linkDelay = Duration.ZERO;

  private ClientOptions(Map<Integer, String> cluster) {
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("the cluster has no nodes");
    }
    this.cluster = Collections.unmodifiableMap(new TreeMap<>(cluster));
    for (Map.Entry<Integer, String> e : this.cluster.entrySet()) {
      checkAddress(e.getValue(), "node " + e.getKey());
    }
  }

  private ClientOptions copy() {
    ClientOptions c = new ClientOptions(cluster);
    c.requestTimeout = requestTimeout;
    c.operationDeadline = operationDeadline;
    c.retryBackoff = retryBackoff;
    c.maxRetryBackoff = maxRetryBackoff;
    c.maxAttempts = maxAttempts;
    c.ioThreads = ioThreads;
    c.fastPath = fastPath;
    c.fastPathTimeout = fastPathTimeout;
    c.fastPathStragglerTimeout = fastPathStragglerTimeout;
    c.fastPathMaxInFlight = fastPathMaxInFlight;
    c.linkDelay = linkDelay;
    return c;
  }

  /** Options with every default, for {@code cluster} (node id to {@code host:port}). */
  public static ClientOptions of(Map<Integer, String> cluster) {
    return new ClientOptions(cluster);
  }

  /** Options with every default, for a cluster written as {@code 1=host:port,2=host:port}. */
  public static ClientOptions of(String cluster) {
    return of(parseCluster(cluster));
  }

  /**
   * Parses {@code 1=127.0.0.1:7001,2=127.0.0.1:7002}: comma-separated {@code id=host:port}, ids
   * positive and distinct, ports 1..65535.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static Map<Integer, String> parseCluster(String spec) {
    Objects.requireNonNull(spec, "spec");
    Map<Integer, String> nodes = new TreeMap<>();
    if (spec.isBlank()) {
      throw new IllegalArgumentException("empty cluster: expected 1=host:port,2=host:port,...");
    }
    for (String part : spec.split(",", -1)) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "bad cluster entry '" + p + "': expected id=host:port, as in 1=127.0.0.1:7001");
      }
      int id;
      try {
        id = Integer.parseInt(p.substring(0, eq).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad node id in cluster entry '" + p + "'", e);
      }
      if (id < 1) {
        throw new IllegalArgumentException("node ids must be positive: '" + p + "'");
      }
      String address = p.substring(eq + 1).trim();
      checkAddress(address, "cluster entry '" + p + "'");
      if (nodes.put(id, address) != null) {
        throw new IllegalArgumentException("node id " + id + " appears twice in the cluster");
      }
    }
    return nodes;
  }

  /** Splits {@code host:port}; the host is everything before the last colon. */
  static String host(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  /** The port of {@code host:port}. */
  static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static void checkAddress(String address, String where) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(where + ": address '" + address + "' is not host:port");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": bad port in '" + address + "'", e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(where + ": port out of range in '" + address + "'");
    }
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
    return d;
  }

  /** Node id to client address, ordered by id. */
  public Map<Integer, String> cluster() {
    return cluster;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration operationDeadline() {
    return operationDeadline;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Duration maxRetryBackoff() {
    return maxRetryBackoff;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public int ioThreads() {
    return ioThreads;
  }

  public boolean fastPath() {
    return fastPath;
  }

  public Duration fastPathTimeout() {
    return fastPathTimeout;
  }

  /**
   * How long a fast-path update that the leader and a majority accepted waits for the rest of a
   * supermajority before it falls back; zero when it waits for {@link #fastPathTimeout()} like any
   * other.
   */
  public Duration fastPathStragglerTimeout() {
    return fastPathStragglerTimeout;
  }

  /** At most this many fast-path attempts in flight per pool; 0: no limit. */
  public int fastPathMaxInFlight() {
    return fastPathMaxInFlight;
  }

  public Duration linkDelay() {
    return linkDelay;
  }

  /** Whether nilext updates take the fast path, and how long they wait before falling back. */
  public ClientOptions withFastPath(boolean on, Duration timeout) {
    ClientOptions c = copy();
    c.fastPath = on;
    c.fastPathTimeout = positive(timeout, "fastPathTimeout");
    return c;
  }

  /**
   * Once the leader and a majority accepted a fast-path update, how long it waits for the rest of a
   * supermajority before it falls back to the ordered path; zero turns this off.
   */
  public ClientOptions withFastPathStragglerTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(
          "fastPathStragglerTimeout must not be negative: " + timeout);
    }
    ClientOptions c = copy();
    c.fastPathStragglerTimeout = timeout;
    return c;
  }

  /**
   * At most {@code n} fast-path attempts in flight per pool (0: no limit); updates beyond go
   * straight to the leader.
   */
  public ClientOptions withFastPathMaxInFlight(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("fastPathMaxInFlight must not be negative: " + n);
    }
    ClientOptions c = copy();
    c.fastPathMaxInFlight = n;
    return c;
  }

  /** An emulated one-way delay on everything this client sends. */
  public ClientOptions withLinkDelay(Duration d) {
    ClientOptions c = copy();
    if (d.isNegative()) {
      throw new IllegalArgumentException("linkDelay must not be negative: " + d);
    }
    c.linkDelay = d;
    return c;
  }

  public ClientOptions withRequestTimeout(Duration d) {
    ClientOptions c = copy();
    c.requestTimeout = positive(d, "requestTimeout");
    return c;
  }

  public ClientOptions withOperationDeadline(Duration d) {
    ClientOptions c = copy();
    c.operationDeadline = positive(d, "operationDeadline");
    return c;
  }

  /** The first and the largest pause before a retry. */
  public ClientOptions withRetryBackoff(Duration first, Duration max) {
    ClientOptions c = copy();
    c.retryBackoff = positive(first, "retryBackoff");
    c.maxRetryBackoff = positive(max, "maxRetryBackoff");
    return c;
  }

  public ClientOptions withMaxAttempts(int n) {
    ClientOptions c = copy();
    if (n < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + n);
    }
    c.maxAttempts = n;
    return c;
  }

  public ClientOptions withIoThreads(int n) {
    ClientOptions c = copy();
    if (n < 1) {
      throw new IllegalArgumentException("ioThreads must be at least 1: " + n);
    }
    c.ioThreads = n;
    return c;
  }

  @Override
  public String toString() {
    return "ClientOptions[cluster="
        + cluster
        + ", requestTimeout="
        + requestTimeout
        + ", operationDeadline="
        + operationDeadline
        + ", retryBackoff="
        + retryBackoff
        + ".."
        + maxRetryBackoff
        + ", maxAttempts="
        + maxAttempts
        + ", ioThreads="
        + ioThreads
        + ", fastPath="
        + fastPath
        + ", fastPathTimeout="
        + fastPathTimeout
        + ", fastPathStragglerTimeout="
        + fastPathStragglerTimeout
        + ", linkDelay="
        + linkDelay
        + "]";
  }
}
