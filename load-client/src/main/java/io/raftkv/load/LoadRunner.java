package io.raftkv.load;

import io.raftkv.client.ClientConnectionPool;
import io.raftkv.client.ClientOptions;
import io.raftkv.client.FastPathStats;
import io.raftkv.client.InvalidCommandException;
import io.raftkv.client.NoQuorumException;
import io.raftkv.client.OutcomeUnknownException;
import io.raftkv.client.RaftClient;
import io.raftkv.client.RaftClientException;
import io.raftkv.client.SessionExpiredException;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KeyValue;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Runs one load: N virtual clients over one {@link ClientConnectionPool}, each with one request
 * outstanding. No thread per client: the next request is issued from the completion callback (on
 * the pool's event loop), or, in paced mode, from one timer thread at its intended send time.
 *
 * <p>Only operations whose (intended) send time falls after the warm-up are recorded. Throughput is
 * successful measured operations divided by the measured wall time (from the end of the warm-up to
 * the last measured completion), never derived from latencies.
 */
public final class LoadRunner {
  /** How long a fast-path update waits for acknowledgments before it takes the ordered path. */
  static final Duration FAST_PATH_TIMEOUT = Duration.ofMillis(50);

  private final LoadOptions options;
  private final PrintStream out;
  private final Map<Op, OpStats> stats = new EnumMap<>(Op.class);
  private final List<HistogramLogWriter> logs = new ArrayList<>();
  private final AtomicLong measuredIssued = new AtomicLong();
  private final AtomicLong lastCompletion = new AtomicLong(Long.MIN_VALUE);
  private ScheduledExecutorService timer;
  private CountDownLatch finished;
  private long measureStart;
  private long measureEnd;
  private volatile boolean stopping;
  // The pool's fast-path counters when the measured window opened (timer thread writes).
  private volatile FastPathStats fastPathAtStart;
  private final List<OperationObserver> observers = new ArrayList<>();
  private Runnable atMeasureStart = () -> {};
  private Runnable atMeasureEnd = () -> {};

  public LoadRunner(LoadOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Tells {@code observer} of every completed operation; call before {@link #run}. */
  public LoadRunner observe(OperationObserver observer) {
    observers.add(observer);
    return this;
  }

  /**
   * Runs {@code atStart} when the measured phase begins and {@code atEnd} when its duration is over
   * (duration mode only), on the runner's timer thread: they must not block.
   */
  public LoadRunner onMeasuredWindow(Runnable atStart, Runnable atEnd) {
    this.atMeasureStart = atStart;
    this.atMeasureEnd = atEnd;
    return this;
  }

  /** The result of a run; the files are already written. */
  public record Outcome(RunInfo info, List<OpResult> results, FastPathStats fastPath, Path dir) {}

  /**
   * Runs the load, writes the files to {@code --out} (and the history to {@code --history}) and
   * prints the summary.
   */
  public Outcome run() throws IOException, InterruptedException {
    if (options.history() == null) {
      return runLoad();
    }
    try (HistoryRecorder history = HistoryRecorder.open(options.history(), 0)) {
      observe(history);
      Outcome outcome = runLoad();
      history.close();
      out.printf("history of %d operations in %s%n", history.written(), options.history());
      return outcome;
    }
  }

  private Outcome runLoad() throws IOException, InterruptedException {
    Path dir = options.out();
    Files.createDirectories(dir);
    boolean paced = options.paced();
    long startMillis = System.currentTimeMillis();
    for (Op op : options.workload().ops()) {
      HistogramLogWriter log = openLog(dir.resolve(op.label() + ".hlog"), startMillis);
      HistogramLogWriter ulog =
          paced ? openLog(dir.resolve(op.label() + "-uncorrected.hlog"), startMillis) : null;
      stats.put(op, new OpStats(op, paced, log, ulog));
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-timer");
              t.setDaemon(true);
              return t;
            });
    ClientOptions clientOptions =
        ClientOptions.of(options.cluster())
            .withOperationDeadline(options.timeout())
            .withIoThreads(options.ioThreads())
            // The request leg of an emulated link, on every connection (the server delays the
            // reply leg itself); the fast path's copies to every node are delayed alike.
            .withLinkDelay(options.clientDelay())
            .withFastPath(options.fastPath(), FAST_PATH_TIMEOUT)
            .withFastPathMaxInFlight(options.fastPathMaxInFlight())
            .withFastPathStragglerTimeout(options.fastPathStragglerTimeout());
    int clusterSize = clientOptions.cluster().size();
    finished = new CountDownLatch(options.clients());
    FastPathStats fastPath;
    try (ClientConnectionPool pool = ClientConnectionPool.open(clientOptions)) {
      long start = System.nanoTime();
      measureStart = start + options.warmup().toNanos();
      measureEnd = options.ops() > 0 ? Long.MAX_VALUE : measureStart + options.duration().toNanos();
      long[] previous = {0};
      ScheduledFuture<?> roller =
          timer.scheduleAtFixedRate(
              () -> roll(previous),
              options.warmup().toNanos() + TimeUnit.SECONDS.toNanos(1),
              TimeUnit.SECONDS.toNanos(1),
              TimeUnit.NANOSECONDS);
      ScheduledFuture<?> windowStart =
          timer.schedule(
              () -> {
                for (OpStats s : stats.values()) {
                  s.startMeasuredIntervals();
                }
                fastPathAtStart = pool.fastPathStats();
                atMeasureStart.run();
              },
              options.warmup().toNanos(),
              TimeUnit.NANOSECONDS);
      ScheduledFuture<?> windowEnd =
          options.ops() > 0
              ? null
              : timer.schedule(
                  atMeasureEnd,
                  options.warmup().toNanos() + options.duration().toNanos(),
                  TimeUnit.NANOSECONDS);
      List<VirtualClient> clients = new ArrayList<>();
      for (int i = 0; i < options.clients(); i++) {
        clients.add(new VirtualClient(i, pool.newSession(), start));
      }
      for (VirtualClient c : clients) {
        c.begin();
      }
      boolean done = awaitClients();
      roller.cancel(false);
      awaitHook(windowStart);
      awaitHook(windowEnd);
      if (!done) {
        out.println("warning: some clients did not finish in time; their operations are missing");
      }
      FastPathStats atStart = fastPathAtStart;
      fastPath =
          options.fastPath()
              ? pool.fastPathStats()
                  .minus(atStart == null ? new FastPathStats(0, 0, 0, 0, 0, 0) : atStart)
              : null;
      try {
        timer.submit(() -> roll(previous)).get();
      } catch (ExecutionException e) {
        throw new IOException("could not write the interval logs", e.getCause());
      }
    } finally {
      timer.shutdownNow();
      for (HistogramLogWriter w : logs) {
        w.close();
      }
    }
    long last = lastCompletion.get();
    long end = last == Long.MIN_VALUE ? System.nanoTime() : last;
    double measuredSeconds = Math.max(0, end - measureStart) / 1e9;
    List<OpResult> results = new ArrayList<>();
    for (OpStats s : stats.values()) {
      results.add(s.result());
    }
    RunInfo info =
        new RunInfo(
            clusterSize,
            options.clients(),
            options.workload().describe(),
            options.seed(),
            options.warmup().toMillis() / 1000.0,
            measuredSeconds,
            options.rate(),
            System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors(),
            gitCommit(),
            Instant.ofEpochMilli(startMillis).toString());
    Report.write(dir, info, results, fastPath);
    out.print(Report.console(info, results, fastPath));
    out.println("results in " + dir);
    return new Outcome(info, results, fastPath, dir);
  }

  /** Waits until a measured-window hook has run, so its effect is visible after the run. */
  private static void awaitHook(ScheduledFuture<?> hook) throws InterruptedException {
    if (hook == null) {
      return;
    }
    try {
      hook.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a measured-window hook failed", e.getCause());
    } catch (TimeoutException e) {
      hook.cancel(false);
    }
  }

  private boolean awaitClients() throws InterruptedException {
    if (options.ops() > 0) {
      finished.await();
      return true;
    }
    long limit =
        options.warmup().toMillis()
            + options.duration().toMillis()
            + 2 * options.timeout().toMillis()
            + 10_000;
    if (finished.await(limit, TimeUnit.MILLISECONDS)) {
      return true;
    }
    stopping = true;
    return finished.await(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  private HistogramLogWriter openLog(Path file, long startMillis) throws IOException {
    HistogramLogWriter w;
    try {
      w = new HistogramLogWriter(file.toFile());
    } catch (FileNotFoundException e) {
      throw new IOException("cannot write " + file, e);
    }
    logs.add(w);
    w.outputComment("raftkv load-client interval log, latencies in nanoseconds");
    w.outputLogFormatVersion();
    w.outputStartTime(startMillis);
    w.setBaseTime(startMillis);
    w.outputLegend();
    return w;
  }

  /** On the timer thread: one interval per op into the logs, and a throughput line. */
  private void roll(long[] previous) {
    long total = 0;
    for (OpStats s : stats.values()) {
      s.rollInterval();
      total += s.successes();
    }
    long seconds = Math.max(0, (System.nanoTime() - measureStart) / 1_000_000_000L);
    out.printf("[%4ds] %d ops in the last interval%n", seconds, total - previous[0]);
    previous[0] = total;
  }

  private boolean admit(long intended, long now) {
    if (stopping || now >= measureEnd || intended >= measureEnd) {
      return false;
    }
    if (options.ops() > 0 && intended >= measureStart) {
      return measuredIssued.incrementAndGet() <= options.ops();
    }
    return true;
  }

  /** The kind under which a failure is counted. */
  static String errorKind(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof NoQuorumException) {
      return "no_quorum";
    } else if (c instanceof OutcomeUnknownException) {
      return "outcome_unknown";
    } else if (c instanceof SessionExpiredException) {
      return "session_expired";
    } else if (c instanceof InvalidCommandException) {
      return "invalid_command";
    } else if (c instanceof TimeoutException) {
      return "timeout";
    } else if (c instanceof RaftClientException) {
      return "client_error";
    }
    return "other:" + c.getClass().getSimpleName();
  }

  private static String gitCommit() {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String s = new String(bytes, StandardCharsets.UTF_8).trim();
        if (!s.isEmpty()) {
          return s;
        }
      }
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "unknown";
  }

  /** One virtual client: a session, a workload stream and, in paced mode, a schedule. */
  private final class VirtualClient {
    private final int index;
    private final RaftClient session;
    private final WorkloadGenerator generator;
    private final long intervalNanos;
    private long nextIntended;
    private volatile boolean issuing;
    private boolean done;

    VirtualClient(int index, RaftClient session, long start) {
      this.index = index;
      this.session = session;
      this.generator = options.workload().generator(options.seed(), index);
      this.intervalNanos = options.paced() ? (long) (1e9 / options.rate()) : 0;
      // Stagger paced clients over one interval so they do not all send at once.
      this.nextIntended = start + (intervalNanos * index) / Math.max(1, options.clients());
    }

    void begin() {
      issueNext();
    }

    /** Sends the next operation now (closed loop) or at its intended time (paced). */
    private void issueNext() {
      try {
        long now = System.nanoTime();
        if (intervalNanos == 0) {
          send(now, now);
          return;
        }
        long intended = nextIntended;
        nextIntended += intervalNanos;
        if (intended > now) {
          ScheduledFuture<?> unused =
              timer.schedule(
                  () -> send(intended, System.nanoTime()), intended - now, TimeUnit.NANOSECONDS);
        } else {
          send(intended, now);
        }
      } catch (RuntimeException e) {
        stats.values().iterator().next().recordError("internal:" + e.getClass().getSimpleName());
        finish();
      }
    }

    private void send(long intended, long now) {
      if (!admit(intended, now)) {
        finish();
        return;
      }
      IssuedOperation op = generate(generator.nextOp(), now);
      boolean measured = intended >= measureStart;
      dispatch(op, intended, measured);
    }

    private void dispatch(IssuedOperation op, long intended, boolean measured) {
      long sent = op.callNanos();
      CompletableFuture<?> f;
      issuing = true;
      try {
        f = call(op);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<?> unused =
          f.whenComplete((v, err) -> onDone(op, v, intended, sent, measured, err));
      issuing = false;
    }

    /** Draws the keys and values of the next operation of type {@code op}. */
    private IssuedOperation generate(Op op, long now) {
      switch (op) {
        case PUT:
          return new IssuedOperation(
              index, op, List.of(generator.nextKey()), List.of(generator.nextValue()), null, now);
        case GET:
          return new IssuedOperation(index, op, List.of(generator.nextKey()), List.of(), null, now);
        case CAS:
          Bytes key = generator.nextKey();
          Bytes expected = generator.nextValue();
          return new IssuedOperation(
              index, op, List.of(key), List.of(generator.nextValue()), expected, now);
        case MULTI_PUT:
          List<Bytes> keys = new ArrayList<>();
          List<Bytes> values = new ArrayList<>();
          for (int k : generator.nextDistinctKeyIndexes(Workload.MULTI_PUT_SIZE)) {
            keys.add(WorkloadGenerator.key(k));
            values.add(generator.nextValue());
          }
          return new IssuedOperation(index, op, List.copyOf(keys), List.copyOf(values), null, now);
      }
      throw new IllegalStateException("unknown op " + op);
    }

    private CompletableFuture<?> call(IssuedOperation op) {
      Bytes key = op.keys().get(0);
      switch (op.op()) {
        case PUT:
          return session.put(key, op.values().get(0));
        case GET:
          return session.get(key);
        case CAS:
          return session.cas(key, Optional.of(op.expected()), op.values().get(0));
        case MULTI_PUT:
          List<KeyValue> entries = new ArrayList<>();
          for (int i = 0; i < op.keys().size(); i++) {
            entries.add(new KeyValue(op.keys().get(i), op.values().get(i)));
          }
          return session.multiPut(entries);
      }
      throw new IllegalStateException("unknown op " + op.op());
    }

    private void onDone(
        IssuedOperation op,
        Object result,
        long intended,
        long sent,
        boolean measured,
        Throwable err) {
      long end = System.nanoTime();
      for (OperationObserver o : observers) {
        o.completed(op, err == null ? result : null, err, end);
      }
      if (measured) {
        OpStats s = stats.get(op.op());
        if (err == null) {
          s.recordSuccess(end - intended, end - sent);
        } else {
          s.recordError(errorKind(err));
        }
        lastCompletion.accumulateAndGet(end, Math::max);
      }
      if (issuing) {
        // Completed synchronously inside send: continue on the timer to keep the stack flat.
        timer.execute(this::issueNext);
      } else {
        issueNext();
      }
    }

    private synchronized void finish() {
      if (!done) {
        done = true;
        finished.countDown();
      }
    }
  }
}
