package io.raftkv.it;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal blocking key-value client over {@link WireProbe} for real-process tests, independent of
 * the client library: it follows "not leader" answers, and on any failure retries on the next node
 * with the same (clientId, seq) until a deadline. One session, one request at a time.
 */
final class ProbeKv {
  private final ServerProcesses cluster;
  private final long clientId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private long seq;
  private long readSeq;
  private int target = 1;
  private long requestId;

  ProbeKv(ServerProcesses cluster) {
    this.cluster = cluster;
  }

  /** Returns true when the put was acknowledged before the deadline. */
  boolean put(String key, String value, Duration deadline) throws InterruptedException {
    return call(new KvCommand.Put(Bytes.utf8(key), Bytes.utf8(value)), deadline) != null;
  }

  /**
   * The value of {@code key} (null when absent) read through the log; throws if no answer came
   * before the deadline.
   */
  String get(String key, Duration deadline) throws InterruptedException {
    KvReply r = call(new KvCommand.Get(Bytes.utf8(key)), deadline);
    if (r == null) {
      throw new IllegalStateException("no answer to get(" + key + ") within " + deadline);
    }
    Bytes v = ((KvReply.Value) r).value();
    return v == null ? null : v.toUtf8();
  }

  private KvReply call(KvCommand command, Duration deadline) throws InterruptedException {
    // Reads are numbered -1, -2, ... apart from updates, so a read served outside the log does
    // not leave a gap in the session's numbers.
    long number = KvRequest.isRead(command) ? --readSeq : ++seq;
    KvRequest request = new KvRequest(clientId, number, command);
    byte[] payload = KvCodec.encode(request);
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (cluster.isRunning(target)) {
        try (WireProbe probe =
            WireProbe.client(cluster.host(target), cluster.port(target), 1_000)) {
          long id = ++requestId;
          probe.send(new Frame.ClientRequest(id, payload));
          Frame f = probe.receive();
          if (f instanceof Frame.ClientReply reply && reply.requestId() == id) {
            KvReply kv = KvCodec.decodeReply(reply.payload());
            if (kv instanceof KvReply.Failure failure) {
              throw new IllegalStateException("request failed: " + failure);
            }
            return kv;
          }
          if (f instanceof Frame.NotLeader nl && nl.leaderId() != 0) {
            target = nl.leaderId();
            continue;
          }
        } catch (IOException | RuntimeException e) {
          if (e instanceof IllegalStateException) {
            throw (IllegalStateException) e;
          }
          // timeout or refused: try the next node
        }
      }
      target = target % cluster.ids().size() + 1;
      Thread.sleep(20);
    }
    return null;
  }
}
