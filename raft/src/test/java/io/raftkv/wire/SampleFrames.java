package io.raftkv.wire;

import io.raftkv.core.Entry;
import io.raftkv.core.Message;
import io.raftkv.core.Message.AppendEntriesRequest;
import io.raftkv.core.Message.AppendEntriesResponse;
import io.raftkv.core.Message.HeartbeatRequest;
import io.raftkv.core.Message.HeartbeatResponse;
import io.raftkv.core.Message.VoteRequest;
import io.raftkv.core.Message.VoteResponse;
import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Frames of every type with edge-case contents, and helpers to handle their encodings. */
final class SampleFrames {
  static final String UNICODE = "nœud-ß-日本-🚀";

  private SampleFrames() {}

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<Entry> entries(long prevLogIndex, int count, int dataBytes) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long index = prevLogIndex + 1 + i;
      entries.add(
          i % 5 == 0
              ? Entry.noop(3, index)
              : Entry.command(3 + i / 7, index, random(dataBytes + i % 3, index)));
    }
    return entries;
  }

  /** Peer messages: every core message type, with edge cases. */
  static List<Frame> peerFrames() {
    return List.of(
        new Frame.PeerMessage(new VoteRequest(1, 2, 5, 10, 4, false)),
        new Frame.PeerMessage(new VoteRequest(3, 1, Long.MAX_VALUE, 0, 0, true)),
        new Frame.PeerMessage(new VoteResponse(2, 1, 5, true, false)),
        new Frame.PeerMessage(new VoteResponse(-1, Integer.MAX_VALUE, 0, false, true)),
        new Frame.PeerMessage(new AppendEntriesRequest(1, 2, 7, 0, 0, List.of(), 0)),
        new Frame.PeerMessage(new AppendEntriesRequest(1, 3, 7, 41, 6, entries(41, 1, 0), 40)),
        new Frame.PeerMessage(
            new AppendEntriesRequest(
                1, 3, 7, 41, 6, List.of(Entry.command(7, 42, new byte[0])), 40)),
        new Frame.PeerMessage(new AppendEntriesRequest(1, 2, 9, 100, 8, entries(100, 500, 17), 99)),
        new Frame.PeerMessage(
            new AppendEntriesRequest(
                1, 2, 9, 5, 8, List.of(Entry.command(9, 6, random(1 << 20, 11))), 5)),
        new Frame.PeerMessage(new AppendEntriesResponse(2, 1, 7, true, 42, 0, 0)),
        new Frame.PeerMessage(new AppendEntriesResponse(2, 1, 7, false, 41, 5, 30)),
        new Frame.PeerMessage(new HeartbeatRequest(1, 2, 7, 40, 0)),
        new Frame.PeerMessage(new HeartbeatRequest(1, 2, 7, 0, Long.MAX_VALUE)),
        new Frame.PeerMessage(new HeartbeatResponse(2, 1, 7, 12)),
        new Frame.PeerMessage(new Message.DurabilityLogRequest(2, 1, 8)),
        new Frame.PeerMessage(new Message.DurabilityLogResponse(2, 1, 8, List.of())),
        new Frame.PeerMessage(new Message.DurabilityLogResponse(2, 1, 8, entries(0, 3, 9))),
        new Frame.PeerMessage(new Message.DurabilityLogPrune(1, 3, 8, entries(0, 2, 5))));
  }

  /** Every other frame type, with edge cases. */
  static List<Frame> otherFrames() {
    Map<String, String> status = new LinkedHashMap<>();
    status.put("role", "LEADER");
    status.put("term", "12");
    status.put("", "");
    status.put(UNICODE, "värde");
    byte[] put =
        KvCodec.encode(
            new KvRequest(7, 1, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8(UNICODE))));
    return List.of(
        Frame.Handshake.peer("cluster-a", 2),
        Frame.Handshake.peer(UNICODE, -7),
        new Frame.Handshake(Frame.Handshake.Kind.PEER, 0xffff, "c", Integer.MAX_VALUE),
        Frame.Handshake.client(),
        new Frame.Handshake(Frame.Handshake.Kind.CLIENT, 2, "", 0),
        new Frame.HandshakeRejected("unknown node id 9 for cluster " + UNICODE),
        new Frame.HandshakeRejected(""),
        new Frame.ClientRequest(1, put),
        new Frame.ClientRequest(Long.MIN_VALUE, new byte[0]),
        new Frame.ClientRequest(-1, random(1 << 20, 3)),
        new Frame.ClientReply(1, KvCodec.encodeReply(new KvReply.Ack())),
        new Frame.ClientReply(Long.MAX_VALUE, new byte[0]),
        new Frame.NotLeader(4, 2, "127.0.0.2:7001"),
        new Frame.NotLeader(5, Frame.NO_LEADER, ""),
        new Frame.Busy(6),
        new Frame.Busy(0),
        new Frame.LeaderQuery(7),
        new Frame.LeaderInfo(8, 3, "[::1]:7003", 42),
        new Frame.LeaderInfo(9, Frame.NO_LEADER, "", 0),
        new Frame.StatusQuery(10),
        new Frame.StatusInfo(11, status),
        new Frame.StatusInfo(12, Map.of()),
        new Frame.NilextRequest(13, 4, put),
        new Frame.NilextRequest(-1, 0, new byte[0]),
        new Frame.NilextAck(14, 3, 4, true, true, 3),
        new Frame.NilextAck(15, 2, Long.MAX_VALUE, false, false, Frame.NO_LEADER),
        new Frame.NilextBatch(
            List.of(
                new Frame.NilextRequest(16, 4, put),
                new Frame.NilextRequest(Long.MIN_VALUE, 4, new byte[0]),
                new Frame.NilextRequest(17, 4, random(300, 5)))),
        new Frame.NilextBatch(List.of(new Frame.NilextRequest(18, 0, put))),
        new Frame.NilextAckBatch(
            List.of(
                new Frame.NilextAck(19, 3, 4, true, true, 3),
                new Frame.NilextAck(-20, 3, 4, true, false, 3))),
        new Frame.NilextAckBatch(
            List.of(new Frame.NilextAck(21, 2, 0, false, true, Frame.NO_LEADER))));
  }

  static List<Frame> all() {
    List<Frame> all = new ArrayList<>(otherFrames());
    all.addAll(peerFrames());
    return all;
  }

  /** The frame body (after the length prefix) of {@code f}, as an array. */
  static byte[] body(Frame f) {
    ByteBuffer whole = WireCodec.encode(f);
    whole.position(WireCodec.LENGTH_FIELD_BYTES);
    byte[] b = new byte[whole.remaining()];
    whole.get(b);
    return b;
  }

  static byte[] whole(Frame f) {
    ByteBuffer whole = WireCodec.encode(f);
    byte[] b = new byte[whole.remaining()];
    whole.get(b);
    return b;
  }

  static Frame decode(byte[] body) {
    return WireCodec.decodeBody(ByteBuffer.wrap(body));
  }
}
