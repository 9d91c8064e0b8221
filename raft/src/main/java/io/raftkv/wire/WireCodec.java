package io.raftkv.wire;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import io.raftkv.core.Message;
import io.raftkv.core.Message.AppendEntriesRequest;
import io.raftkv.core.Message.AppendEntriesResponse;
import io.raftkv.core.Message.HeartbeatRequest;
import io.raftkv.core.Message.HeartbeatResponse;
import io.raftkv.core.Message.VoteRequest;
import io.raftkv.core.Message.VoteResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link Frame}s to bytes and decodes them back, by hand, in the format of {@code
 * docs/wire-format.md}: {@code [u32 length][u8 type][body]}, big-endian, where {@code length}
 * counts the bytes after the length field (the type byte and the body).
 *
 * <p>Decoding is total: a frame body either decodes to exactly the frame that was encoded or raises
 * {@link MalformedFrameException}. Every length and count is checked against the bytes that remain
 * before anything is allocated; unknown type bytes, invalid enum values, negative terms or indices,
 * non-consecutive entry indices, strings that are not UTF-8 and trailing bytes are rejected. The
 * frame length itself is checked by {@link FrameSplitter} (or the Netty decoder that wraps it)
 * before the body is buffered.
 */
public final class WireCodec {
  /** The protocol version this code speaks, sent in every {@link Frame.Handshake}. */
  public static final int PROTOCOL_VERSION = 1;

  /** The largest frame (type byte and body) accepted unless configured otherwise: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;

  /** The bytes of the length prefix. */
  public static final int LENGTH_FIELD_BYTES = 4;

  /** The four bytes {@code RKV1} that open every handshake body. */
  static final byte[] MAGIC = {'R', 'K', 'V', '1'};

  // Frame type bytes. Gaps group them: connection setup, peer traffic, client traffic.
  static final byte HANDSHAKE = 0x01;
  static final byte HANDSHAKE_REJECTED = 0x02;
  static final byte PEER_MESSAGE = 0x10;
  static final byte CLIENT_REQUEST = 0x20;
  static final byte CLIENT_REPLY = 0x21;
  static final byte NOT_LEADER = 0x22;
  static final byte BUSY = 0x23;
  static final byte LEADER_QUERY = 0x24;
  static final byte LEADER_INFO = 0x25;
  static final byte STATUS_QUERY = 0x26;
  static final byte STATUS_INFO = 0x27;
  static final byte NILEXT_REQUEST = 0x28;
  static final byte NILEXT_ACK = 0x29;
  static final byte NILEXT_BATCH = 0x2A;
  static final byte NILEXT_ACK_BATCH = 0x2B;

  // Peer message sub-type bytes.
  static final byte VOTE_REQUEST = 1;
  static final byte VOTE_RESPONSE = 2;
  static final byte APPEND_ENTRIES_REQUEST = 3;
  static final byte APPEND_ENTRIES_RESPONSE = 4;
  static final byte HEARTBEAT_REQUEST = 5;
  static final byte HEARTBEAT_RESPONSE = 6;
  static final byte DURABILITY_LOG_REQUEST = 7;
  static final byte DURABILITY_LOG_RESPONSE = 8;
  static final byte DURABILITY_LOG_PRUNE = 9;

  // Enum values; 0 is never valid, so zeroed memory does not decode.
  static final byte KIND_PEER = 1;
  static final byte KIND_CLIENT = 2;
  static final byte ENTRY_NOOP = 1;
  static final byte ENTRY_COMMAND = 2;

  /** Entry bytes before its data: term, index, type, data length. */
  private static final int MIN_ENTRY_BYTES = 8 + 8 + 1 + 4;

  /** Batched fast-path request bytes at least: request id, payload length. */
  private static final int MIN_NILEXT_ITEM_BYTES = 8 + 4;

  /** Batched fast-path ack bytes: request id, accepted. */
  private static final int NILEXT_ACK_ITEM_BYTES = 8 + 1;

  /** Status field bytes at least: key length, value length. */
  private static final int MIN_STATUS_FIELD_BYTES = 4 + 4;

  private WireCodec() {}

  /**
   * The whole frame, length prefix included, positioned at 0, at most {@link
   * #DEFAULT_MAX_FRAME_BYTES} long after the prefix.
   *
   * @throws IllegalArgumentException if the frame would exceed the maximum, or a string holds an
   *     unpaired surrogate (it has no UTF-8 encoding)
   */
  public static ByteBuffer encode(Frame f) {
    return encode(f, DEFAULT_MAX_FRAME_BYTES);
  }

  /**
   * The whole frame, length prefix included, positioned at 0.
   *
   * @param maxFrameBytes the receiver's limit on the length field; encoding refuses to produce a
   *     frame the receiver would reject
   * @throws IllegalArgumentException if the frame would exceed {@code maxFrameBytes}, or a string
   *     holds an unpaired surrogate
   */
  public static ByteBuffer encode(Frame f, int maxFrameBytes) {
    WireWriter w = new WireWriter();
    if (f instanceof Frame.Handshake h) {
      w.u8(HANDSHAKE);
      w.raw(MAGIC);
      w.u8(h.kind() == Frame.Handshake.Kind.PEER ? KIND_PEER : KIND_CLIENT);
      w.u16(h.version());
      if (h.kind() == Frame.Handshake.Kind.PEER) {
        w.string(h.clusterId(), "clusterId");
        w.i32(h.nodeId());
      }
    } else if (f instanceof Frame.HandshakeRejected r) {
      w.u8(HANDSHAKE_REJECTED);
      w.string(r.reason(), "reason");
    } else if (f instanceof Frame.PeerMessage p) {
      w.u8(PEER_MESSAGE);
      encodeMessage(w, p.message());
    } else if (f instanceof Frame.ClientRequest r) {
      w.u8(CLIENT_REQUEST);
      w.i64(r.requestId());
      w.bytes(r.payload());
    } else if (f instanceof Frame.ClientReply r) {
      w.u8(CLIENT_REPLY);
      w.i64(r.requestId());
      w.bytes(r.payload());
    } else if (f instanceof Frame.NotLeader n) {
      w.u8(NOT_LEADER);
      w.i64(n.requestId());
      w.i32(n.leaderId());
      w.string(n.leaderAddress(), "leaderAddress");
    } else if (f instanceof Frame.Busy b) {
      w.u8(BUSY);
      w.i64(b.requestId());
    } else if (f instanceof Frame.LeaderQuery q) {
      w.u8(LEADER_QUERY);
      w.i64(q.requestId());
    } else if (f instanceof Frame.LeaderInfo i) {
      w.u8(LEADER_INFO);
      w.i64(i.requestId());
      w.i32(i.leaderId());
      w.string(i.leaderAddress(), "leaderAddress");
      w.i64(i.term());
    } else if (f instanceof Frame.StatusQuery q) {
      w.u8(STATUS_QUERY);
      w.i64(q.requestId());
    } else if (f instanceof Frame.StatusInfo s) {
      w.u8(STATUS_INFO);
      w.i64(s.requestId());
      w.i32(s.fields().size());
      for (Map.Entry<String, String> e : s.fields().entrySet()) {
        w.string(e.getKey(), "status key");
        w.string(e.getValue(), "status value");
      }
    } else if (f instanceof Frame.NilextRequest n) {
      w.u8(NILEXT_REQUEST);
      w.i64(n.requestId());
      w.i64(n.term());
      w.bytes(n.payload());
    } else if (f instanceof Frame.NilextAck a) {
      w.u8(NILEXT_ACK);
      w.i64(a.requestId());
      w.i32(a.nodeId());
      w.i64(a.term());
      w.bool(a.leader());
      w.bool(a.accepted());
      w.i32(a.leaderId());
    } else if (f instanceof Frame.NilextBatch b) {
      w.u8(NILEXT_BATCH);
      w.i64(b.term());
      w.i32(b.requests().size());
      for (Frame.NilextRequest r : b.requests()) {
        w.i64(r.requestId());
        w.bytes(r.payload());
      }
    } else if (f instanceof Frame.NilextAckBatch b) {
      Frame.NilextAck first = b.acks().get(0);
      w.u8(NILEXT_ACK_BATCH);
      w.i32(first.nodeId());
      w.i64(first.term());
      w.bool(first.leader());
      w.i32(first.leaderId());
      w.i32(b.acks().size());
      for (Frame.NilextAck a : b.acks()) {
        w.i64(a.requestId());
        w.bool(a.accepted());
      }
    } else {
      throw new IllegalArgumentException("unknown frame " + f);
    }
    return w.finish(maxFrameBytes, f.getClass().getSimpleName());
  }

  private static void encodeMessage(WireWriter w, Message m) {
    w.u8(messageType(m));
    w.i32(m.from());
    w.i32(m.to());
    w.i64(m.term());
    if (m instanceof VoteRequest v) {
      w.i64(v.lastLogIndex());
      w.i64(v.lastLogTerm());
      w.bool(v.preVote());
    } else if (m instanceof VoteResponse v) {
      w.bool(v.granted());
      w.bool(v.preVote());
    } else if (m instanceof AppendEntriesRequest a) {
      w.i64(a.prevLogIndex());
      w.i64(a.prevLogTerm());
      w.i64(a.leaderCommit());
      encodeEntries(w, a.entries());
    } else if (m instanceof AppendEntriesResponse a) {
      w.bool(a.success());
      w.i64(a.index());
      w.i64(a.conflictTerm());
      w.i64(a.conflictIndex());
    } else if (m instanceof HeartbeatRequest h) {
      w.i64(h.commitIndex());
      w.i64(h.readRound());
    } else if (m instanceof HeartbeatResponse h) {
      w.i64(h.readRound());
    } else if (m instanceof Message.DurabilityLogResponse d) {
      encodeEntries(w, d.entries());
    } else if (m instanceof Message.DurabilityLogPrune d) {
      encodeEntries(w, d.entries());
    }
  }

  private static void encodeEntries(WireWriter w, List<Entry> entries) {
    w.i32(entries.size());
    for (Entry e : entries) {
      w.i64(e.term());
      w.i64(e.index());
      w.u8(e.type() == EntryType.NOOP ? ENTRY_NOOP : ENTRY_COMMAND);
      w.bytes(e.data());
    }
  }

  private static byte messageType(Message m) {
    if (m instanceof VoteRequest) {
      return VOTE_REQUEST;
    } else if (m instanceof VoteResponse) {
      return VOTE_RESPONSE;
    } else if (m instanceof AppendEntriesRequest) {
      return APPEND_ENTRIES_REQUEST;
    } else if (m instanceof AppendEntriesResponse) {
      return APPEND_ENTRIES_RESPONSE;
    } else if (m instanceof HeartbeatRequest) {
      return HEARTBEAT_REQUEST;
    } else if (m instanceof HeartbeatResponse) {
      return HEARTBEAT_RESPONSE;
    } else if (m instanceof Message.DurabilityLogRequest) {
      return DURABILITY_LOG_REQUEST;
    } else if (m instanceof Message.DurabilityLogResponse) {
      return DURABILITY_LOG_RESPONSE;
    } else if (m instanceof Message.DurabilityLogPrune) {
      return DURABILITY_LOG_PRUNE;
    }
    throw new IllegalArgumentException("unknown message " + m);
  }

  /**
   * Decodes one frame body: the bytes after the length prefix, from the buffer's position to its
   * limit, starting with the type byte. On success the buffer's position is moved to its limit; its
   * byte order is ignored (the format is big-endian) and left unchanged.
   *
   * @throws MalformedFrameException if the bytes are not exactly one valid frame
   */
  public static Frame decodeBody(ByteBuffer body) {
    WireReader r = new WireReader(body);
    Frame f;
    try {
      f = decode(r);
    } catch (IllegalArgumentException e) {
      // A record invariant the checks above did not already cover; still bad input.
      throw r.malformed("invalid value: " + e.getMessage());
    }
    r.end();
    body.position(body.limit());
    return f;
  }

  private static Frame decode(WireReader r) {
    byte type = r.u8("frame type");
    switch (type) {
      case HANDSHAKE:
        r.frame("Handshake");
        return decodeHandshake(r);
      case HANDSHAKE_REJECTED:
        r.frame("HandshakeRejected");
        return new Frame.HandshakeRejected(r.string("reason"));
      case PEER_MESSAGE:
        r.frame("PeerMessage");
        return new Frame.PeerMessage(decodeMessage(r));
      case CLIENT_REQUEST:
        r.frame("ClientRequest");
        return new Frame.ClientRequest(r.i64("requestId"), r.bytes("payload"));
      case CLIENT_REPLY:
        r.frame("ClientReply");
        return new Frame.ClientReply(r.i64("requestId"), r.bytes("payload"));
      case NOT_LEADER:
        r.frame("NotLeader");
        return new Frame.NotLeader(
            r.i64("requestId"), r.i32("leaderId"), r.string("leaderAddress"));
      case BUSY:
        r.frame("Busy");
        return new Frame.Busy(r.i64("requestId"));
      case LEADER_QUERY:
        r.frame("LeaderQuery");
        return new Frame.LeaderQuery(r.i64("requestId"));
      case LEADER_INFO:
        r.frame("LeaderInfo");
        return new Frame.LeaderInfo(
            r.i64("requestId"), r.i32("leaderId"), r.string("leaderAddress"), r.i64("term"));
      case STATUS_QUERY:
        r.frame("StatusQuery");
        return new Frame.StatusQuery(r.i64("requestId"));
      case STATUS_INFO:
        r.frame("StatusInfo");
        return decodeStatusInfo(r);
      case NILEXT_REQUEST:
        r.frame("NilextRequest");
        return new Frame.NilextRequest(
            r.i64("requestId"), r.nonNegative("term"), r.bytes("payload"));
      case NILEXT_ACK:
        r.frame("NilextAck");
        return new Frame.NilextAck(
            r.i64("requestId"),
            r.i32("nodeId"),
            r.nonNegative("term"),
            r.bool("leader"),
            r.bool("accepted"),
            r.i32("leaderId"));
      case NILEXT_BATCH:
        r.frame("NilextBatch");
        return decodeNilextBatch(r);
      case NILEXT_ACK_BATCH:
        r.frame("NilextAckBatch");
        return decodeNilextAckBatch(r);
      default:
        throw r.malformedAt(0, "unknown frame type " + type);
    }
  }

  private static Frame.NilextBatch decodeNilextBatch(WireReader r) {
    long term = r.nonNegative("term");
    int n = nonEmptyCount(r, "requests", MIN_NILEXT_ITEM_BYTES);
    List<Frame.NilextRequest> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      requests.add(new Frame.NilextRequest(r.i64("requestId"), term, r.bytes("payload")));
    }
    return new Frame.NilextBatch(requests);
  }

  private static Frame.NilextAckBatch decodeNilextAckBatch(WireReader r) {
    int nodeId = r.i32("nodeId");
    long term = r.nonNegative("term");
    boolean leader = r.bool("leader");
    int leaderId = r.i32("leaderId");
    int n = nonEmptyCount(r, "acks", NILEXT_ACK_ITEM_BYTES);
    List<Frame.NilextAck> acks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      acks.add(
          new Frame.NilextAck(
              r.i64("requestId"), nodeId, term, leader, r.bool("accepted"), leaderId));
    }
    return new Frame.NilextAckBatch(acks);
  }

  /** A count as {@link WireReader#count}, which must also be at least 1: a batch is never empty. */
  private static int nonEmptyCount(WireReader r, String field, int minItemBytes) {
    int at = r.offset();
    int n = r.count(field, minItemBytes);
    if (n == 0) {
      throw r.malformedAt(at, field + " count must be at least 1, got 0");
    }
    return n;
  }

  private static Frame.Handshake decodeHandshake(WireReader r) {
    for (int i = 0; i < MAGIC.length; i++) {
      int at = r.offset();
      byte b = r.u8("magic");
      if (b != MAGIC[i]) {
        throw r.malformedAt(at, "bad magic byte " + b + ", expected 'RKV1'");
      }
    }
    int kindAt = r.offset();
    byte kindByte = r.u8("kind");
    Frame.Handshake.Kind kind;
    if (kindByte == KIND_PEER) {
      kind = Frame.Handshake.Kind.PEER;
    } else if (kindByte == KIND_CLIENT) {
      kind = Frame.Handshake.Kind.CLIENT;
    } else {
      throw r.malformedAt(kindAt, "unknown kind " + kindByte + ", expected 1 (peer) or 2 (client)");
    }
    int versionAt = r.offset();
    int version = r.u16("version");
    if (version == 0) {
      throw r.malformedAt(versionAt, "version 0 is not a protocol version");
    }
    if (kind == Frame.Handshake.Kind.CLIENT) {
      return new Frame.Handshake(kind, version, "", 0);
    }
    int clusterAt = r.offset();
    String clusterId = r.string("clusterId");
    if (clusterId.isEmpty()) {
      throw r.malformedAt(clusterAt, "a peer handshake needs a non-empty clusterId");
    }
    return new Frame.Handshake(kind, version, clusterId, r.i32("nodeId"));
  }

  private static Frame.StatusInfo decodeStatusInfo(WireReader r) {
    long requestId = r.i64("requestId");
    int n = r.count("status fields", MIN_STATUS_FIELD_BYTES);
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int at = r.offset();
      String key = r.string("status key");
      String value = r.string("status value");
      if (fields.putIfAbsent(key, value) != null) {
        throw r.malformedAt(at, "duplicate status key '" + key + "'");
      }
    }
    return new Frame.StatusInfo(requestId, fields);
  }

  private static Message decodeMessage(WireReader r) {
    byte sub = r.u8("message type");
    int from = r.i32("from");
    int to = r.i32("to");
    long term = r.nonNegative("term");
    switch (sub) {
      case VOTE_REQUEST:
        return new VoteRequest(
            from,
            to,
            term,
            r.nonNegative("lastLogIndex"),
            r.nonNegative("lastLogTerm"),
            r.bool("preVote"));
      case VOTE_RESPONSE:
        return new VoteResponse(from, to, term, r.bool("granted"), r.bool("preVote"));
      case APPEND_ENTRIES_REQUEST:
        return decodeAppendEntries(r, from, to, term);
      case APPEND_ENTRIES_RESPONSE:
        return new AppendEntriesResponse(
            from,
            to,
            term,
            r.bool("success"),
            r.nonNegative("index"),
            r.nonNegative("conflictTerm"),
            r.nonNegative("conflictIndex"));
      case HEARTBEAT_REQUEST:
        return new HeartbeatRequest(
            from, to, term, r.nonNegative("commitIndex"), r.nonNegative("readRound"));
      case HEARTBEAT_RESPONSE:
        return new HeartbeatResponse(from, to, term, r.nonNegative("readRound"));
      case DURABILITY_LOG_REQUEST:
        return new Message.DurabilityLogRequest(from, to, term);
      case DURABILITY_LOG_RESPONSE:
        return new Message.DurabilityLogResponse(from, to, term, decodeEntries(r, 0));
      case DURABILITY_LOG_PRUNE:
        return new Message.DurabilityLogPrune(from, to, term, decodeEntries(r, 0));
      default:
        throw r.malformedAt(1, "unknown message type " + sub);
    }
  }

  private static AppendEntriesRequest decodeAppendEntries(
      WireReader r, int from, int to, long term) {
    long prevLogIndex = r.nonNegative("prevLogIndex");
    long prevLogTerm = r.nonNegative("prevLogTerm");
    long leaderCommit = r.nonNegative("leaderCommit");
    return new AppendEntriesRequest(
        from, to, term, prevLogIndex, prevLogTerm, decodeEntries(r, prevLogIndex), leaderCommit);
  }

  /** Entries numbered {@code firstIndexMinusOne + 1}, {@code + 2}, ... consecutively. */
  private static List<Entry> decodeEntries(WireReader r, long prevLogIndex) {
    int n = r.count("entries", MIN_ENTRY_BYTES);
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = r.offset();
      long entryTerm = r.i64("entry term");
      if (entryTerm < 1) {
        throw r.malformedAt(at, "entry term must be at least 1, got " + entryTerm);
      }
      at = r.offset();
      long index = r.i64("entry index");
      // The core relies on lastIndex() == prevLogIndex + entries.size().
      if (index != prevLogIndex + 1 + i) {
        throw r.malformedAt(
            at, "entry index " + index + " should be " + (prevLogIndex + 1 + i) + " (consecutive)");
      }
      at = r.offset();
      byte typeByte = r.u8("entry type");
      EntryType type;
      if (typeByte == ENTRY_NOOP) {
        type = EntryType.NOOP;
      } else if (typeByte == ENTRY_COMMAND) {
        type = EntryType.COMMAND;
      } else {
        throw r.malformedAt(
            at, "unknown entry type " + typeByte + ", expected 1 (no-op) or 2 (command)");
      }
      entries.add(new Entry(entryTerm, index, type, r.bytes("entry data")));
    }
    return entries;
  }
}
