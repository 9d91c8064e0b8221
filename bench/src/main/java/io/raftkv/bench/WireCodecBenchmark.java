package io.raftkv.bench;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import io.raftkv.wire.WireCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding of the frames that carry steady-state traffic ({@link WireCodec}): an
 * AppendEntriesRequest with one command entry (vanilla) and with {@value #BATCH_ENTRIES} (a
 * batching leader), entries of {@code entryBytes} each, its response, a heartbeat, and a client put
 * request (value of {@code entryBytes}) and its reply. Encoding includes the length prefix;
 * decoding starts after it, as the Netty decoder hands the body over.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireCodecBenchmark extends RaftkvBenchmark {
  /** Command entries in the batched AppendEntriesRequest. */
  public static final int BATCH_ENTRIES = 64;

  /** Bytes of each entry's command and of the client request's value. */
  @Param({"100"})
  public int entryBytes;

  private Frame appendEntriesRequest;
  private Frame appendEntriesBatch;
  private Frame appendEntriesResponse;
  private Frame heartbeatRequest;
  private Frame clientRequest;
  private Frame clientReply;

  private ByteBuffer appendEntriesRequestBytes;
  private ByteBuffer appendEntriesBatchBytes;
  private ByteBuffer appendEntriesResponseBytes;
  private ByteBuffer heartbeatRequestBytes;
  private ByteBuffer clientRequestBytes;
  private ByteBuffer clientReplyBytes;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    long prevLogIndex = 1_000;
    appendEntriesRequest = appendEntries(random, prevLogIndex, 1);
    appendEntriesBatch = appendEntries(random, prevLogIndex, BATCH_ENTRIES);
    appendEntriesResponse =
        new Frame.PeerMessage(
            new Message.AppendEntriesResponse(2, 1, 7, true, prevLogIndex + 1, 0, 0));
    heartbeatRequest =
        new Frame.PeerMessage(new Message.HeartbeatRequest(1, 2, 7, prevLogIndex, 12));
    KvCommand put =
        new KvCommand.Put(Bytes.utf8("key-000042"), Bytes.of(randomBytes(random, entryBytes)));
    clientRequest =
        new Frame.ClientRequest(77, KvCodec.encode(new KvRequest(123_456_789L, 42, put)));
    clientReply = new Frame.ClientReply(77, KvCodec.encodeReply(new KvReply.Ack()));

    appendEntriesRequestBytes = WireCodec.encode(appendEntriesRequest);
    appendEntriesBatchBytes = WireCodec.encode(appendEntriesBatch);
    appendEntriesResponseBytes = WireCodec.encode(appendEntriesResponse);
    heartbeatRequestBytes = WireCodec.encode(heartbeatRequest);
    clientRequestBytes = WireCodec.encode(clientRequest);
    clientReplyBytes = WireCodec.encode(clientReply);
  }

  private Frame appendEntries(SplittableRandom random, long prevLogIndex, int count) {
    List<Entry> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(Entry.command(7, prevLogIndex + 1 + i, randomBytes(random, entryBytes)));
    }
    return new Frame.PeerMessage(
        new Message.AppendEntriesRequest(1, 2, 7, prevLogIndex, 7, batch, prevLogIndex));
  }

  private static byte[] randomBytes(SplittableRandom random, int size) {
    byte[] b = new byte[size];
    random.nextBytes(b);
    return b;
  }

  /** Decodes the body of an encoded frame: everything after the length prefix. */
  private static Frame decode(ByteBuffer encoded) {
    encoded.position(WireCodec.LENGTH_FIELD_BYTES);
    return WireCodec.decodeBody(encoded);
  }

  @Benchmark
  public ByteBuffer encodeAppendEntriesRequest() {
    return WireCodec.encode(appendEntriesRequest);
  }

  @Benchmark
  public Frame decodeAppendEntriesRequest() {
    return decode(appendEntriesRequestBytes);
  }

  @Benchmark
  public ByteBuffer encodeAppendEntriesBatch() {
    return WireCodec.encode(appendEntriesBatch);
  }

  @Benchmark
  public Frame decodeAppendEntriesBatch() {
    return decode(appendEntriesBatchBytes);
  }

  @Benchmark
  public ByteBuffer encodeAppendEntriesResponse() {
    return WireCodec.encode(appendEntriesResponse);
  }

  @Benchmark
  public Frame decodeAppendEntriesResponse() {
    return decode(appendEntriesResponseBytes);
  }

  @Benchmark
  public ByteBuffer encodeHeartbeatRequest() {
    return WireCodec.encode(heartbeatRequest);
  }

  @Benchmark
  public Frame decodeHeartbeatRequest() {
    return decode(heartbeatRequestBytes);
  }

  @Benchmark
  public ByteBuffer encodeClientRequest() {
    return WireCodec.encode(clientRequest);
  }

  @Benchmark
  public Frame decodeClientRequest() {
    return decode(clientRequestBytes);
  }

  @Benchmark
  public ByteBuffer encodeClientReply() {
    return WireCodec.encode(clientReply);
  }

  @Benchmark
  public Frame decodeClientReply() {
    return decode(clientReplyBytes);
  }
}
