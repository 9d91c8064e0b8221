package io.raftkv.core;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of one Raft node. A variant is a named preset of this record ({@link #vanilla()},
 * {@link #optimized()}); every optimization is a flag of its own so it can be switched on alone
 * ({@link #withSetting(String, String)}, the {@code --set flag=value} of the server, the load
 * client and the benchmarks).
 *
 * <p>Times are in ticks: the caller decides how long a tick is (the server uses {@code tickMillis}
 * of wall time, the simulator virtual milliseconds).
 *
 * @param tickMillis how many milliseconds one tick stands for (informational for the core)
 * @param electionTicks the minimum election timeout; each node draws its timeout uniformly from
 *     {@code [electionTicks, 2 * electionTicks)} (Raft 5.2)
 * @param heartbeatTicks how often a leader sends heartbeats; must be below {@code electionTicks}
 * @param preVote whether a node probes with pre-votes before raising its term (thesis 9.6)
 * @param checkQuorum whether a leader that has not heard from a majority within an election timeout
 *     steps down (thesis 6.2)
 * @param maxEntriesPerAppend with {@code batching}, at most this many entries in one AppendEntries
 *     (without it, one)
 * @param maxBytesPerAppend at most about this many bytes of entries in one AppendEntries (at least
 *     one entry is always sent)
 * @param maxInflight with {@code pipelining}, at most this many AppendEntries in flight per
 *     follower (without it, one)
 * @param retransmitTicks an AppendEntries unanswered for this many ticks is presumed lost and
 *     replication to that follower restarts from its match index
 * @param batching the node loop proposes every pending request at once and persists the batch with
 *     one fsync (group commit); AppendEntries carry up to {@code maxEntriesPerAppend} entries
 * @param pipelining up to {@code maxInflight} AppendEntries in flight per follower, {@code
 *     nextIndex} advanced optimistically, probing again after a rejection
 * @param leaseReads reads are served by the leader from its state machine while it holds a lease
 *     confirmed by a majority, by ReadIndex otherwise; without it reads go through the log
 * @param parallelLeaderWrite the leader sends AppendEntries before its own write of the same
 *     entries is durable, and counts itself toward the commit only once it is
 * @param maxClockDriftTicks how many ticks of clock drift a lease allows for over one election
 *     timeout: a lease lasts {@code electionTicks - 1 - maxClockDriftTicks} ticks from the send
 *     time of the round that confirmed it (the one tick covers the granularity of tick counting)
 * @param nilextFastPath nil-externalizing updates (put, delete, multiPut) complete in one round
 *     trip on a supermajority of durability logs and are ordered by the leader in the background
 *     (Skyros); meaningful with the optimized flags, which the {@code fastpath} preset turns on
 * @param orderBatchSize with {@code nilextFastPath}, the leader orders pending updates as soon as
 *     this many wait; by default 1024, so that under load the {@code orderDelayTicks} timer decides
 *     and a replica writes the Raft log once a tick rather than once per wave of updates (README,
 *     "Results", tenth round: more puts per second in fsync mode, fewer in memory mode)
 * @param orderDelayTicks with {@code nilextFastPath}, the leader orders pending updates at least
 *     every this many ticks
 */
public record RaftConfig(
    int tickMillis,
    int electionTicks,
    int heartbeatTicks,
    boolean preVote,
    boolean checkQuorum,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflight,
    int retransmitTicks,
    boolean batching,
    boolean pipelining,
    boolean leaseReads,
    boolean parallelLeaderWrite,
    int maxClockDriftTicks,
    boolean nilextFastPath,
    int orderBatchSize,
    int orderDelayTicks) {

  /** The names {@link #preset(String)} knows, in the order comparisons list them. */
  public static final List<String> PRESETS = List.of("vanilla", "optimized", "fastpath");

  /** The optimization flags, each of which {@link #withSetting} can switch alone. */
  public static final List<String> FLAGS =
      List.of("batching", "pipelining", "leaseReads", "parallelLeaderWrite", "nilextFastPath");

  /** Every key {@link #withSetting} accepts. */
  public static final List<String> SETTINGS =
      List.of(
          "batching",
          "pipelining",
          "leaseReads",
          "parallelLeaderWrite",
          "nilextFastPath",
          "orderBatchSize",
          "orderDelayTicks",
          "tickMillis",
          "electionTicks",
          "heartbeatTicks",
          "preVote",
          "checkQuorum",
          "maxEntriesPerAppend",
          "maxBytesPerAppend",
          "maxInflight",
          "retransmitTicks",
          "maxClockDriftTicks");

  public RaftConfig {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be at least 1");
    }
    if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "need 1 <= heartbeatTicks < electionTicks, got " + heartbeatTicks + ", " + electionTicks);
    }
    if (maxEntriesPerAppend < 1 || maxBytesPerAppend < 1 || maxInflight < 1) {
      throw new IllegalArgumentException("append limits and the in-flight window must be >= 1");
    }
    if (retransmitTicks < 1) {
      throw new IllegalArgumentException("retransmitTicks must be at least 1");
    }
    if (orderBatchSize < 1 || orderDelayTicks < 1) {
      throw new IllegalArgumentException("orderBatchSize and orderDelayTicks must be at least 1");
    }
    if (maxClockDriftTicks < 0) {
      throw new IllegalArgumentException("maxClockDriftTicks must be at least 0");
    }
    // The fields are assigned only after this body, so the lease length is computed here.
    int lease = electionTicks - 1 - maxClockDriftTicks;
    if (leaseReads && lease <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "leaseReads needs electionTicks - 1 - maxClockDriftTicks ("
              + lease
              + ") above heartbeatTicks ("
              + heartbeatTicks
              + "), or no lease would ever be renewed in time");
    }
  }

  /**
   * Textbook Raft (paper Figure 2): one entry per AppendEntries, one AppendEntries in flight per
   * follower, reads through the log, with pre-vote and check-quorum. Ticks of 10 ms, elections
   * after 150 to 300 ms, heartbeats every 30 ms.
   */
  public static RaftConfig vanilla() {
    return new RaftConfig(
        10, 15, 3, true, true, 256, 1 << 20, 16, 6, false, false, false, false, 2, false, 1024, 1);
  }

  /** Vanilla with every optimization flag on: batching, pipelining, lease reads, parallel write. */
  public static RaftConfig optimized() {
    return vanilla()
        .withSetting("batching", "true")
        .withSetting("pipelining", "true")
        .withSetting("leaseReads", "true")
        .withSetting("parallelLeaderWrite", "true");
  }

  /** The optimized preset plus the nil-externality fast path (Skyros). */
  public static RaftConfig fastpath() {
    return optimized().withSetting("nilextFastPath", "true");
  }

  /** The preset with the given name (one of {@link #PRESETS}). */
  public static RaftConfig preset(String variant) {
    return switch (variant) {
      case "vanilla" -> vanilla();
      case "optimized" -> optimized();
      case "fastpath" -> fastpath();
      default ->
          throw new IllegalArgumentException(
              "unknown variant '" + variant + "'; known: " + String.join(", ", PRESETS));
    };
  }

  /** The preset named {@code variant} with every {@code settings} entry applied in order. */
  public static RaftConfig of(String variant, Map<String, String> settings) {
    RaftConfig c = preset(variant);
    for (Map.Entry<String, String> e : settings.entrySet()) {
      c = c.withSetting(e.getKey(), e.getValue());
    }
    return c;
  }

  /** How many entries one AppendEntries may carry under these flags. */
  public int entriesPerAppend() {
    return batching ? maxEntriesPerAppend : 1;
  }

  /** How many AppendEntries may be in flight per follower under these flags. */
  public int inflightWindow() {
    return pipelining ? maxInflight : 1;
  }

  /**
   * How long a lease lasts, in ticks of the leader's clock from the send time of the round that
   * confirmed it: less than the minimum election timeout by one tick (tick granularity) and by the
   * drift bound (thesis 6.4.1).
   */
  public int leaseTicks() {
    return electionTicks - 1 - maxClockDriftTicks;
  }

  /**
   * This configuration with one setting changed ({@code --set key=value}); keys are {@link
   * #SETTINGS}, booleans are {@code true}/{@code false}, numbers are decimal.
   *
   * @throws IllegalArgumentException naming the key or value that is wrong
   */
  public RaftConfig withSetting(String key, String value) {
    String v = value.strip();
    int tick = tickMillis;
    int election = electionTicks;
    int heartbeat = heartbeatTicks;
    boolean pv = preVote;
    boolean cq = checkQuorum;
    int entries = maxEntriesPerAppend;
    long bytes = maxBytesPerAppend;
    int window = maxInflight;
    int retransmit = retransmitTicks;
    boolean batch = batching;
    boolean pipe = pipelining;
    boolean lease = leaseReads;
    boolean parallel = parallelLeaderWrite;
    int drift = maxClockDriftTicks;
    boolean nilext = nilextFastPath;
    int orderBatch = orderBatchSize;
    int orderDelay = orderDelayTicks;
    switch (key) {
      case "tickMillis" -> tick = intValue(key, v);
      case "electionTicks" -> election = intValue(key, v);
      case "heartbeatTicks" -> heartbeat = intValue(key, v);
      case "preVote" -> pv = boolValue(key, v);
      case "checkQuorum" -> cq = boolValue(key, v);
      case "maxEntriesPerAppend" -> entries = intValue(key, v);
      case "maxBytesPerAppend" -> bytes = intValue(key, v);
      case "maxInflight" -> window = intValue(key, v);
      case "retransmitTicks" -> retransmit = intValue(key, v);
      case "batching" -> batch = boolValue(key, v);
      case "pipelining" -> pipe = boolValue(key, v);
      case "leaseReads" -> lease = boolValue(key, v);
      case "parallelLeaderWrite" -> parallel = boolValue(key, v);
      case "maxClockDriftTicks" -> drift = intValue(key, v);
      case "nilextFastPath" -> nilext = boolValue(key, v);
      case "orderBatchSize" -> orderBatch = intValue(key, v);
      case "orderDelayTicks" -> orderDelay = intValue(key, v);
      default ->
          throw new IllegalArgumentException(
              "unknown setting '" + key + "'; known: " + String.join(", ", SETTINGS));
    }
    return new RaftConfig(
        tick,
        election,
        heartbeat,
        pv,
        cq,
        entries,
        bytes,
        window,
        retransmit,
        batch,
        pipe,
        lease,
        parallel,
        drift,
        nilext,
        orderBatch,
        orderDelay);
  }

  /** Vanilla timing with other election and heartbeat timeouts (tests). */
  public RaftConfig withElectionTicks(int electionTicks, int heartbeatTicks) {
    return withSetting("heartbeatTicks", Integer.toString(Math.min(heartbeatTicks, 1)))
        .withSetting("electionTicks", Integer.toString(electionTicks))
        .withSetting("heartbeatTicks", Integer.toString(heartbeatTicks));
  }

  /**
   * The optimization flags and their values, for results and status ({@code batching=true,...}).
   */
  public String flagsDescription() {
    return "batching="
        + batching
        + ",pipelining="
        + pipelining
        + ",leaseReads="
        + leaseReads
        + ",parallelLeaderWrite="
        + parallelLeaderWrite
        + ",nilextFastPath="
        + nilextFastPath;
  }

  private static int intValue(String key, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
    }
  }

  private static boolean boolValue(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
    };
  }
}
