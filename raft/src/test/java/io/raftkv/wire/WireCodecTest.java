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
