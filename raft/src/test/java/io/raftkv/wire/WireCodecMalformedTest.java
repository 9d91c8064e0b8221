package io.raftkv.wire;

import static io.raftkv.wire.WireCodecTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.core.Entry;
import io.raftkv.core.Message.AppendEntriesRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireCodecMalformedTest {
  private static final Set<Byte> FRAME_TYPES =
      Set.of(
          WireCodec.HANDSHAKE,
          WireCodec.HANDSHAKE_REJECTED,
          WireCodec.PEER_MESSAGE,
          WireCodec.CLIENT_REQUEST,
          WireCodec.CLIENT_REPLY,
          WireCodec.NOT_LEADER,
          WireCodec.BUSY,
          WireCodec.NILEXT_REQUEST,
          WireCodec.NILEXT_ACK,
          WireCodec.NILEXT_BATCH,
          WireCodec.NILEXT_ACK_BATCH,
          WireCodec.LEADER_QUERY,
          WireCodec.LEADER_INFO,
          WireCodec.STATUS_QUERY,
          WireCodec.STATUS_INFO);

  /**
   * Decodes {@code body}, failing the test on any exception but {@link MalformedFrameException}.
   * Returns the frame, or null if the body was rejected.
   */
  private static Frame decodeOrReject(byte[] body) {
    try {
      return SampleFrames.decode(body);
    } catch (MalformedFrameException e) {
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
      return null;
    } catch (Throwable t) {
      throw new AssertionError(
          "decoding " + body.length + " bytes threw " + t + ": " + Arrays.toString(body), t);
    }
  }

  private static String rejected(String bodyHex) {
    return assertThrows(MalformedFrameException.class, () -> SampleFrames.decode(hex(bodyHex)))
        .getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void everyTruncationIsRejected() {
    for (Frame f : SampleFrames.all()) {
      byte[] body = SampleFrames.body(f);
      for (int n = 0; n < body.length; n++) {
        // The 1 MiB samples: every cut near either end and a spread in between.
        if (body.length > 1 << 16 && n > 300 && n < body.length - 300 && n % 4099 != 0) {
          continue;
        }
        byte[] cut = Arrays.copyOf(body, n);
        if (decodeOrReject(cut) != null) {
          fail("a " + n + "-byte prefix of " + f + " decoded");
        }
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    for (Frame f : SampleFrames.all()) {
      byte[] body = SampleFrames.body(f);
      byte[] longer = Arrays.copyOf(body, body.length + 1);
      String m =
          assertThrows(MalformedFrameException.class, () -> SampleFrames.decode(longer))
              .getMessage();
      assertMentions(m, "1 trailing bytes", "offset " + body.length);
    }
  }

  @Test
  void unknownTypeBytesAreRejected() {
    for (int t = 0; t < 256; t++) {
      if (FRAME_TYPES.contains((byte) t)) {
        continue;
      }
      byte[] body = {(byte) t, 0, 0, 0, 0, 0, 0, 0, 1};
      String m =
          assertThrows(MalformedFrameException.class, () -> SampleFrames.decode(body)).getMessage();
      assertMentions(m, "unknown frame type " + (byte) t, "offset 0");
    }
    assertMentions(
        assertThrows(MalformedFrameException.class, () -> SampleFrames.decode(new byte[0]))
            .getMessage(),
        "truncated at frame type");
  }

  @Test
  void unknownMessageTypesAreRejected() {
    String header = "00000001 00000002 0000000000000005";
    assertMentions(rejected("10 00" + header), "unknown message type 0", "offset 1");
    assertMentions(rejected("10 0a" + header), "unknown message type 10");
    assertMentions(rejected("10 ff" + header), "unknown message type -1");
  }

  @Test
  void negativeLengthsAndCountsAreRejected() {
    assertMentions(
        rejected("20 0000000000000001 ffffffff"),
        "ClientRequest",
        "payload has negative length -1",
        "offset 9");
    assertMentions(rejected("02 80000000"), "reason has negative length -2147483648");
    assertMentions(rejected("27 0000000000000001 ffffffff"), "status fields has negative count -1");
    assertMentions(
        rejected(
            "10 03 00000001 00000002 0000000000000002 0000000000000000 0000000000000000"
                + " 0000000000000000 fffffffe"),
        "entries has negative count -2");
  }

  @Test
  void fastPathBatchesMustHoldAtLeastOneItemThatFits() {
    assertMentions(
        rejected("2a 0000000000000004 00000000"),
        "NilextBatch",
        "requests count must be at least 1, got 0",
        "offset 9");
    assertMentions(
        rejected("2b 00000003 0000000000000004 01 00000003 00000000"),
        "NilextAckBatch",
        "acks count must be at least 1, got 0",
        "offset 18");
    assertMentions(rejected("2a 0000000000000004 ffffffff"), "requests has negative count -1");
    // A batched request takes at least 12 bytes (id, payload length): 2 cannot fit in 23.
    assertMentions(
        rejected("2a 0000000000000004 00000002 0000000000000001 00000000 0000000000000002 000000"),
        "requests count 2 cannot fit in the 23 bytes left");
    // A batched ack takes 9 bytes: 2 cannot fit in 17.
    assertMentions(
        rejected(
            "2b 00000003 0000000000000004 01 00000003 00000002 0000000000000001 01"
                + " 0000000000000002"),
        "acks count 2 cannot fit in the 17 bytes left");
    assertMentions(
        rejected("2a ffffffffffffffff 00000001 0000000000000001 00000000"),
        "term must not be negative");
    assertMentions(
        rejected("2b 00000003 0000000000000004 01 00000003 00000001 0000000000000001 02"),
        "accepted must be 0 or 1, got 2");
  }

  @Test
  void lengthsBeyondTheRemainingBytesAreRejectedBeforeAllocating() {
    assertMentions(
        rejected("20 0000000000000001 7fffffff 0102"),
        "payload length 2147483647 exceeds the 2 bytes left",
        "offset 9");
    assertMentions(rejected("21 0000000000000001 00000003 0102"), "payload length 3");
    assertMentions(rejected("22 0000000000000001 00000002 7ffffff0"), "leaderAddress length");
    assertMentions(
        rejected("27 0000000000000001 7fffffff 00000000 00000000"),
        "status fields count 2147483647 cannot fit in the 8 bytes left");
    // Each entry takes at least 21 bytes: 2 entries cannot fit in 41.
    assertMentions(
        rejected(
            "10 03 00000001 00000002 0000000000000002 0000000000000000 0000000000000000"
                + " 0000000000000000 00000002"
                + " 0000000000000001 0000000000000001 01 00000000"
                + " 0000000000000001 0000000000000002 01 000000"),
        "entries count 2 cannot fit in the 41 bytes left");
  }

  @Test
  void invalidEnumsAndBooleansAreRejected() {
    assertMentions(rejected("01 524b5631 00 0001"), "unknown kind 0", "offset 5");
    assertMentions(rejected("01 524b5631 03 0001"), "unknown kind 3");
    assertMentions(rejected("01 524b5632 02 0001"), "bad magic byte 50", "offset 4");
    assertMentions(rejected("01 00000000 02 0001"), "bad magic", "offset 1");
    assertMentions(rejected("01 524b5631 02 0000"), "version 0", "offset 6");
    assertMentions(rejected("01 524b5631 01 0001 00000000 00000001"), "non-empty clusterId");
    assertMentions(
        rejected("10 02 00000001 00000002 0000000000000005 02 00"),
        "granted must be 0 or 1, got 2",
        "offset 18");
    assertMentions(
        rejected(
            "10 03 00000001 00000002 0000000000000002 0000000000000000 0000000000000000"
                + " 0000000000000000 00000001 0000000000000001 0000000000000001 03 00000000"),
        "unknown entry type 3");
    assertMentions(
        rejected(
            "10 03 00000001 00000002 0000000000000002 0000000000000000 0000000000000000"
                + " 0000000000000000 00000001 0000000000000001 0000000000000001 00 00000000"),
        "unknown entry type 0");
  }

  @Test
  void negativeTermsIndicesAndBrokenEntrySequencesAreRejected() {
    assertMentions(
        rejected("10 06 00000001 00000002 ffffffffffffffff 0000000000000000"),
        "term must not be negative",
        "offset 10");
    assertMentions(
        rejected("10 05 00000001 00000002 0000000000000001 8000000000000000 0000000000000000"),
        "commitIndex must not be negative");
    String aePrefix =
        "10 03 00000001 00000002 0000000000000002 0000000000000004 0000000000000001"
            + " 0000000000000000 00000001";
    assertMentions(
        rejected(aePrefix + " 0000000000000001 0000000000000006 02 00000000"),
        "entry index 6 should be 5");
    assertMentions(
        rejected(aePrefix + " 0000000000000000 0000000000000005 02 00000000"),
        "entry term must be at least 1, got 0");
    // prevLogIndex at the top of the range: the next index would overflow.
    assertMentions(
        rejected(
            "10 03 00000001 00000002 0000000000000002 7fffffffffffffff 0000000000000001"
                + " 0000000000000000 00000001 0000000000000001 8000000000000000 02 00000000"),
        "invalid value");
  }

  @Test
  void stringsThatAreNotUtf8AreRejected() {
    for (String bad : List.of("c328", "c080", "eda080", "ff", "f4908080", "e282")) {
      int n = bad.length() / 2;
      assertMentions(rejected("02 0000000" + n + bad), "reason is not valid UTF-8", "offset 5");
      assertMentions(
          rejected("27 0000000000000001 00000001 00000001 6b 0000000" + n + bad),
          "status value is not valid UTF-8");
    }
    assertEquals(new Frame.HandshakeRejected("é"), SampleFrames.decode(hex("02 00000002 c3a9")));
  }

  @Test
  void duplicateStatusKeysAreRejected() {
    assertMentions(
        rejected("27 0000000000000001 00000002 00000001 6b 00000000 00000001 6b 00000001 76"),
        "duplicate status key 'k'",
        "offset 22");
  }

  @Test
  void randomBytesOnlyEverRaiseMalformedFrame() {
    Random random = new Random(20240601);
    byte[] types = new byte[FRAME_TYPES.size()];
    int i = 0;
    for (byte t : FRAME_TYPES) {
      types[i++] = t;
    }
    for (int round = 0; round < 5000; round++) {
      byte[] body = new byte[random.nextInt(80)];
      random.nextBytes(body);
      // Most rounds start with a valid type byte so the body decoders are exercised, not just
      // the type check; some also get a valid peer message sub-type.
      if (body.length > 0 && round % 4 != 0) {
        body[0] = types[random.nextInt(types.length)];
        if (body.length > 1 && body[0] == WireCodec.PEER_MESSAGE) {
          body[1] = (byte) (1 + random.nextInt(6));
        }
      }
      Frame f = decodeOrReject(body);
      if (f != null) {
        assertArrayEquals(body, SampleFrames.body(f), "a decoded body re-encodes to itself");
      }
    }
  }

  @Test
  void mutatedValidFramesOnlyEverRaiseMalformedFrameOrReencodeExactly() {
    Random random = new Random(77);
    List<Frame> small =
        SampleFrames.all().stream().filter(f -> SampleFrames.body(f).length < 4096).toList();
    for (int round = 0; round < 5000; round++) {
      byte[] body = SampleFrames.body(small.get(random.nextInt(small.size())));
      int flips = 1 + random.nextInt(3);
      for (int k = 0; k < flips; k++) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      Frame f = decodeOrReject(body);
      if (f != null) {
        assertArrayEquals(body, SampleFrames.body(f), "a decoded body re-encodes to itself");
      }
    }
  }

  @Test
  void aHugeAnnouncedEntryCountDoesNotAllocate() {
    // 2^31-1 entries announced, each at least 21 bytes, with 21 bytes present: rejected at once.
    byte[] body =
        hex(
            "10 03 00000001 00000002 0000000000000002 0000000000000000 0000000000000000"
                + " 0000000000000000 7fffffff 0000000000000001 0000000000000001 01 00000000");
    MalformedFrameException e =
        assertThrows(
            MalformedFrameException.class, () -> WireCodec.decodeBody(ByteBuffer.wrap(body)));
    assertMentions(e.getMessage(), "entries count 2147483647 cannot fit", "offset 42");
  }

  @Test
  void aValidEntryListStillDecodesNextToTheseChecks() {
    Frame f =
        SampleFrames.decode(
            hex(
                "10 03 00000001 00000002 0000000000000002 0000000000000004 0000000000000001"
                    + " 0000000000000000 00000001 0000000000000001 0000000000000005 02 00000000"));
    AppendEntriesRequest a = (AppendEntriesRequest) ((Frame.PeerMessage) f).message();
    assertEquals(List.of(Entry.command(1, 5, new byte[0])), a.entries());
  }
}
