package io.raftkv.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Entry;
import io.raftkv.core.EntryType;
import io.raftkv.core.Message;
import io.raftkv.core.Message.AppendEntriesRequest;
import io.raftkv.core.Message.VoteRequest;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvReply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireCodecTest {

  @Test
  void everyFrameRoundTripsWithACorrectLengthPrefix() {
    for (Frame f : SampleFrames.all()) {
      ByteBuffer whole = WireCodec.encode(f);
      assertEquals(0, whole.position(), f.toString());
      int length = whole.getInt();
      assertEquals(whole.remaining(), length, "length prefix of " + f);
      Frame back = WireCodec.decodeBody(whole);
      assertEquals(f, back);
      assertEquals(whole.limit(), whole.position(), "decodeBody consumes the body of " + f);
    }
  }

  @Test
  void samplesCoverEveryFrameTypeAndEveryMessageType() {
    Set<Class<?>> frameTypes = new HashSet<>();
    Set<Class<?>> messageTypes = new HashSet<>();
    for (Frame f : SampleFrames.all()) {
      frameTypes.add(f.getClass());
      if (f instanceof Frame.PeerMessage p) {
        messageTypes.add(p.message().getClass());
      }
    }
    assertEquals(Set.of(Frame.class.getPermittedSubclasses()), frameTypes);
    assertEquals(Set.of(Message.class.getPermittedSubclasses()), messageTypes);
  }

  @Test
  void entriesKeepTypeDataAndOrder() {
    List<Entry> entries = SampleFrames.entries(100, 500, 17);
    Frame f = new Frame.PeerMessage(new AppendEntriesRequest(1, 2, 9, 100, 8, entries, 99));
    AppendEntriesRequest back =
        (AppendEntriesRequest)
            ((Frame.PeerMessage) SampleFrames.decode(SampleFrames.body(f))).message();
    assertEquals(500, back.entries().size());
    assertEquals(600, back.lastIndex());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(entries.get(i).type(), back.entries().get(i).type());
      assertArrayEquals(entries.get(i).data(), back.entries().get(i).data());
    }
    assertEquals(EntryType.NOOP, back.entries().get(0).type());
    assertEquals(EntryType.COMMAND, back.entries().get(1).type());
  }

  @Test
  void clientPayloadsAreKvCodecEncodingsCarriedUnchanged() {
    byte[] reply = KvCodec.encodeReply(new KvReply.Value(null));
    Frame.ClientReply back =
        (Frame.ClientReply) SampleFrames.decode(SampleFrames.body(new Frame.ClientReply(3, reply)));
    assertEquals(new KvReply.Value(null), KvCodec.decodeReply(back.payload()));
  }

  @Test
  void statusFieldsKeepTheirOrder() {
    Frame.StatusInfo s = (Frame.StatusInfo) SampleFrames.otherFrames().get(20);
    Frame.StatusInfo back = (Frame.StatusInfo) SampleFrames.decode(SampleFrames.body(s));
    assertEquals(List.copyOf(s.fields().keySet()), List.copyOf(back.fields().keySet()));
    assertEquals(
        List.of("role", "term", "", SampleFrames.UNICODE), List.copyOf(back.fields().keySet()));
  }

  /** Fixed byte layouts, as written in docs/wire-format.md. */
  @Test
  void layoutsMatchTheDocument() {
    assertArrayEquals(
        hex("00000009 23 0000000000000007"), SampleFrames.whole(new Frame.Busy(7)).clone());
    assertEquals(9, SampleFrames.whole(new Frame.Busy(7)).length - 4);
    assertArrayEquals(
        hex("00000008 01 524b5631 02 0001"), SampleFrames.whole(Frame.Handshake.client()));
    assertArrayEquals(
        hex("00000011 01 524b5631 01 0001 00000001 61 00000003"),
        SampleFrames.whole(Frame.Handshake.peer("a", 3)));
    assertArrayEquals(
        hex(
            "00000023 10 01 00000001 00000002 0000000000000005 000000000000000a 0000000000000004 01"),
        SampleFrames.whole(new Frame.PeerMessage(new VoteRequest(1, 2, 5, 10, 4, true))));
    assertArrayEquals(
        hex(
            "00000059 10 03 00000001 00000002 0000000000000002"
                + " 0000000000000000 0000000000000000 0000000000000001 00000002"
                + " 0000000000000001 0000000000000001 01 00000000"
                + " 0000000000000002 0000000000000002 02 00000001 ff"),
        SampleFrames.whole(
            new Frame.PeerMessage(
                new AppendEntriesRequest(
                    1,
                    2,
                    2,
                    0,
                    0,
                    List.of(Entry.noop(1, 1), Entry.command(2, 2, new byte[] {(byte) 0xff})),
                    1))));
    assertArrayEquals(
        hex("00000018 27 0000000000000001 00000001 00000001 6b 00000002 c3a9"),
        SampleFrames.whole(new Frame.StatusInfo(1, Map.of("k", "é"))));
    assertArrayEquals(
        hex(
            "00000028 2a 0000000000000004 00000002 0000000000000007 00000001 ff 0000000000000008 00000002 0102"),
        SampleFrames.whole(
            new Frame.NilextBatch(
                List.of(
                    new Frame.NilextRequest(7, 4, new byte[] {(byte) 0xff}),
                    new Frame.NilextRequest(8, 4, new byte[] {1, 2})))));
    assertArrayEquals(
        hex(
            "00000028 2b 00000003 0000000000000004 01 00000003 00000002 0000000000000007 01 0000000000000008 00"),
        SampleFrames.whole(
            new Frame.NilextAckBatch(
                List.of(
                    new Frame.NilextAck(7, 3, 4, true, true, 3),
                    new Frame.NilextAck(8, 3, 4, true, false, 3)))));
  }

  /** A batch decodes to the very frames it was packed from, term and view copied to each. */
  @Test
  void batchesCarryTheirSharedFieldsToEveryItem() {
    Frame.NilextBatch b =
        (Frame.NilextBatch)
            SampleFrames.decode(
                hex(
                    "2a 0000000000000009 00000002 0000000000000001 00000000 0000000000000002 00000000"));
    assertEquals(
        List.of(
            new Frame.NilextRequest(1, 9, new byte[0]), new Frame.NilextRequest(2, 9, new byte[0])),
        b.requests());
    Frame.NilextAckBatch a =
        (Frame.NilextAckBatch)
            SampleFrames.decode(
                hex(
                    "2b 00000005 0000000000000009 00 00000002 00000002 0000000000000001 01 0000000000000002 00"));
    assertEquals(
        List.of(
            new Frame.NilextAck(1, 5, 9, false, true, 2),
            new Frame.NilextAck(2, 5, 9, false, false, 2)),
        a.acks());
  }

  @Test
  void decodeBodyReadsFromPositionToLimitWhateverTheByteOrder() {
    byte[] body = SampleFrames.body(new Frame.LeaderInfo(8, 3, "h:1", 42));
    byte[] padded = new byte[body.length + 10];
    System.arraycopy(body, 0, padded, 3, body.length);
    ByteBuffer buf = ByteBuffer.wrap(padded, 3, body.length).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(new Frame.LeaderInfo(8, 3, "h:1", 42), WireCodec.decodeBody(buf));
    assertEquals(3 + body.length, buf.position());
    assertEquals(ByteOrder.LITTLE_ENDIAN, buf.order());
  }

  @Test
  void encodeRefusesFramesAboveTheMaximum() {
    Frame f = new Frame.ClientRequest(1, new byte[100]);
    int length = 1 + 8 + 4 + 100;
    assertEquals(length + 4, WireCodec.encode(f, length).remaining());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(f, length - 1));
    assertTrue(e.getMessage().contains("ClientRequest"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            WireCodec.encode(
                new Frame.ClientRequest(1, new byte[WireCodec.DEFAULT_MAX_FRAME_BYTES])));
  }

  @Test
  void encodeRefusesStringsWithoutAUtf8Encoding() {
    String unpaired = "a\ud800b";
    assertThrows(
        IllegalArgumentException.class,
        () -> WireCodec.encode(new Frame.HandshakeRejected(unpaired)));
    assertThrows(
        IllegalArgumentException.class,
        () -> WireCodec.encode(new Frame.StatusInfo(1, Map.of("k", unpaired))));
  }

  @Test
  void framesRejectWhatTheFormatCannotCarry() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Frame.Handshake(Frame.Handshake.Kind.CLIENT, 1, "", 4));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Frame.Handshake(Frame.Handshake.Kind.CLIENT, 1, "c", 0));
    assertThrows(IllegalArgumentException.class, () -> Frame.Handshake.peer("", 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Frame.Handshake(Frame.Handshake.Kind.PEER, 0, "c", 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Frame.Handshake(Frame.Handshake.Kind.PEER, 0x10000, "c", 1));
    assertThrows(IllegalArgumentException.class, () -> new Frame.NilextBatch(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Frame.NilextBatch(
                List.of(
                    new Frame.NilextRequest(1, 4, new byte[0]),
                    new Frame.NilextRequest(2, 5, new byte[0]))));
    assertThrows(IllegalArgumentException.class, () -> new Frame.NilextAckBatch(List.of()));
    Frame.NilextAck ack = new Frame.NilextAck(1, 3, 4, true, true, 3);
    for (Frame.NilextAck other :
        List.of(
            new Frame.NilextAck(2, 2, 4, true, true, 3),
            new Frame.NilextAck(2, 3, 5, true, true, 3),
            new Frame.NilextAck(2, 3, 4, false, true, 3),
            new Frame.NilextAck(2, 3, 4, true, true, 2))) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new Frame.NilextAckBatch(List.of(ack, other)),
          "" + other);
    }
    // Only `accepted` and the request id may differ inside a batch.
    new Frame.NilextAckBatch(List.of(ack, new Frame.NilextAck(2, 3, 4, true, false, 3)));
  }

  @Test
  void byteArrayFramesCompareByContent() {
    assertEquals(
        new Frame.ClientRequest(1, new byte[] {1, 2}),
        new Frame.ClientRequest(1, new byte[] {1, 2}));
    assertEquals(
        new Frame.ClientRequest(1, new byte[] {1, 2}).hashCode(),
        new Frame.ClientRequest(1, new byte[] {1, 2}).hashCode());
    assertTrue(
        !new Frame.ClientReply(1, new byte[] {1}).equals(new Frame.ClientReply(1, new byte[] {2})));
  }

  static byte[] hex(String s) {
    String h = s.replace(" ", "");
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
