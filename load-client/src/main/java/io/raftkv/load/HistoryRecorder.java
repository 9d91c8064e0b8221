package io.raftkv.load;

import io.raftkv.client.CasOutcome;
import io.raftkv.history.HistoryJson;
import io.raftkv.history.Operation;
import io.raftkv.kv.Bytes;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records every completed operation as a line of DESIGN.md's history format ({@link HistoryJson}),
 * for {@code check}. Definite failures that changed nothing ({@code no_quorum}: never applied;
 * {@code invalid_command}: rejected) are left out, as the format asks; every other failure (a
 * timeout, a lost connection, {@code OutcomeUnknownException}, an expired session) is recorded with
 * {@code "unknown":true} and {@code return_ns} 0. A multiPut is recorded as one put per key with
 * the same call and return times: the checker works per key, and each key's projection of an atomic
 * multiPut is a put.
 *
 * <p>Thread-safe: lines are written under a lock, in completion order.
 */
public final class HistoryRecorder implements OperationObserver, AutoCloseable {
  private final BufferedWriter writer;
  private final Path file;
  private final int clientBase;
  private long written;
  private boolean closed;
  private IOException failure;

  private HistoryRecorder(BufferedWriter writer, Path file, int clientBase) {
    this.writer = writer;
    this.file = file;
    this.clientBase = clientBase;
  }

  /**
   * Starts a new history file (replacing one that exists); client numbers in it are the virtual
   * client's index plus {@code clientBase}.
   */
  public static HistoryRecorder open(Path file, int clientBase) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new HistoryRecorder(
        Files.newBufferedWriter(file, StandardCharsets.UTF_8), file, clientBase);
  }

  /**
   * The history of one configuration of {@code compare} or {@code failover}: {@code
   * <dir>/<label>.jsonl}, or null when {@code dir} is null (no {@code --history}).
   */
  static HistoryRecorder openIn(Path dir, String label) throws IOException {
    return dir == null ? null : open(dir.resolve(label + ".jsonl"), 0);
  }

  /**
   * An observer that records into this file with client numbers shifted by {@code base}, so that
   * several runs against one cluster (the points of a sweep) form one history with distinct
   * clients.
   */
  public OperationObserver withClientBase(int base) {
    return (op, result, error, returnNanos) ->
        completed(op.withClient(op.client() + base), result, error, returnNanos);
  }

  @Override
  public void completed(IssuedOperation op, Object result, Throwable error, long returnNanos) {
    List<Operation> ops =
        toHistory(op.withClient(op.client() + clientBase), result, error, returnNanos);
    synchronized (this) {
      if (closed || failure != null) {
        return;
      }
      try {
        for (Operation o : ops) {
          writer.write(HistoryJson.toJson(o));
          writer.write('\n');
          written++;
        }
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  /** The history operations one completed load operation stands for (none, one, or one per key). */
  static List<Operation> toHistory(
      IssuedOperation op, Object result, Throwable error, long returnNanos) {
    boolean unknown = error != null;
    if (unknown) {
      String kind = LoadRunner.errorKind(error);
      if (kind.equals("no_quorum") || kind.equals("invalid_command")) {
        return List.of();
      }
    }
    int c = op.client();
    long call = op.callNanos();
    String key = op.keys().get(0).toUtf8();
    switch (op.op()) {
      case PUT -> {
        String value = op.values().get(0).toUtf8();
        return List.of(
            unknown
                ? Operation.unknownPut(c, key, value, call)
                : Operation.put(c, key, value, call, returnNanos));
      }
      case GET -> {
        if (unknown) {
          return List.of(Operation.unknownGet(c, key, call));
        }
        @SuppressWarnings("unchecked")
        Optional<Bytes> read = (Optional<Bytes>) result;
        return List.of(
            Operation.get(c, key, read.map(Bytes::toUtf8).orElse(null), call, returnNanos));
      }
      case CAS -> {
        String expected = op.expected().toUtf8();
        String value = op.values().get(0).toUtf8();
        return List.of(
            unknown
                ? Operation.unknownCas(c, key, expected, value, call)
                : Operation.cas(
                    c, key, expected, value, ((CasOutcome) result).swapped(), call, returnNanos));
      }
      case MULTI_PUT -> {
        List<Operation> puts = new ArrayList<>();
        for (int i = 0; i < op.keys().size(); i++) {
          String k = op.keys().get(i).toUtf8();
          String v = op.values().get(i).toUtf8();
          puts.add(
              unknown
                  ? Operation.unknownPut(c, k, v, call)
                  : Operation.put(c, k, v, call, returnNanos));
        }
        return puts;
      }
    }
    throw new IllegalStateException("unknown op " + op.op());
  }

  /** History lines written so far. */
  public synchronized long written() {
    return written;
  }

  public Path file() {
    return file;
  }

  /** Flushes and closes the file; operations completing afterwards are not recorded. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    if (failure != null) {
      throw new IOException("could not write the history " + file, failure);
    }
  }
}
