package io.raftkv.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KvCodecTest {
  private static final Bytes K = Bytes.utf8("key");
  private static final Bytes V = Bytes.utf8("value");
  private static final Bytes LARGE = largeValue(1 << 20);
  private static final int SMALL = 1 << 16;

  private static Bytes largeValue(int size) {
    byte[] b = new byte[size];
    new Random(7).nextBytes(b);
    return Bytes.of(b);
  }

  private static List<KvRequest> sampleRequests() {
    return List.of(
        new KvRequest(1, 1, new KvCommand.Put(K, V)),
        new KvRequest(-1, Long.MAX_VALUE, new KvCommand.Put(Bytes.EMPTY, Bytes.EMPTY)),
        new KvRequest(Long.MIN_VALUE, 2, new KvCommand.Put(K, LARGE)),
        new KvRequest(3, 4, new KvCommand.Delete(K)),
        new KvRequest(3, 5, new KvCommand.Get(Bytes.of(new byte[] {0, (byte) 0xff}))),
        new KvRequest(4, 1, new KvCommand.Cas(K, null, V)),
        new KvRequest(4, 2, new KvCommand.Cas(K, V, Bytes.EMPTY)),
        new KvRequest(4, 3, new KvCommand.Cas(K, Bytes.EMPTY, LARGE)),
        new KvRequest(
            5,
            1,
            new KvCommand.MultiPut(
                List.of(new KeyValue(K, V), new KeyValue(Bytes.EMPTY, Bytes.EMPTY)))),
        new KvRequest(5, 2, new KvCommand.MultiPut(List.of())),
        new KvRequest(5, 3, new KvCommand.MultiGet(List.of(K, Bytes.EMPTY, K))),
        new KvRequest(5, 4, new KvCommand.MultiGet(List.of())),
        new KvRequest(5, -1, new KvCommand.Get(K)),
        new KvRequest(5, Long.MIN_VALUE, new KvCommand.MultiGet(List.of(K))));
  }

  private static List<KvReply> sampleReplies() {
    return List.of(
        new KvReply.Ack(),
        new KvReply.Value(V),
        new KvReply.Value(null),
        new KvReply.Value(Bytes.EMPTY),
        new KvReply.Value(LARGE),
        new KvReply.CasResult(true, V),
        new KvReply.CasResult(false, null),
        new KvReply.CasResult(false, Bytes.EMPTY),
        new KvReply.Values(Arrays.asList(V, null, Bytes.EMPTY)),
        new KvReply.Values(List.of()),
        new KvReply.Failure(KvReply.Code.SESSION_EXPIRED, "client 9 at seq 3"),
        new KvReply.Failure(KvReply.Code.STALE_SEQUENCE, ""),
        new KvReply.Failure(KvReply.Code.INVALID_COMMAND, "bad ✓ é"));
  }

  @Test
  void everyRequestKindRoundTrips() {
    for (KvRequest r : sampleRequests()) {
      byte[] encoded = KvCodec.encode(r);
      assertEquals(r, KvCodec.decode(encoded), r.toString());
      assertArrayEquals(encoded, KvCodec.encode(KvCodec.decode(encoded)));
    }
  }

  @Test
  void everyReplyKindRoundTrips() {
    for (KvReply r : sampleReplies()) {
      byte[] encoded = KvCodec.encodeReply(r);
      assertEquals(r, KvCodec.decodeReply(encoded), r.toString());
    }
  }

  @Test
  void nullErrorMessageBecomesEmpty() {
    KvReply decoded =
        KvCodec.decodeReply(
            KvCodec.encodeReply(new KvReply.Failure(KvReply.Code.INVALID_COMMAND, null)));
    assertEquals(new KvReply.Failure(KvReply.Code.INVALID_COMMAND, ""), decoded);
  }

  @Test
  void putHasTheDocumentedLayout() {
    byte[] expected =
        ByteBuffer.allocate(2 + 8 + 8 + 4 + 1 + 4 + 2)
            .put((byte) 1) // version
            .put((byte) 1) // PUT
            .putLong(0x0102030405060708L)
            .putLong(9)
            .putInt(1)
            .put((byte) 'k')
            .putInt(2)
            .put((byte) 'v')
            .put((byte) 'w')
            .array();
    byte[] actual =
        KvCodec.encode(
            new KvRequest(
                0x0102030405060708L, 9, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("vw"))));
    assertArrayEquals(expected, actual);
  }

  @Test
  void everyTruncationOfARequestIsMalformed() {
    for (byte[] encoded : smallEncodedRequests()) {
      assertEveryPrefixMalformed(encoded, KvCodec::decode);
    }
  }

  @Test
  void everyTruncationOfAReplyIsMalformed() {
    for (byte[] encoded : smallEncodedReplies()) {
      assertEveryPrefixMalformed(encoded, KvCodec::decodeReply);
    }
  }

  @Test
  void truncatedLargeValueIsMalformed() {
    byte[] encoded = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Put(K, LARGE)));
    for (int cut : new int[] {encoded.length - 1, encoded.length / 2, 40}) {
      assertMalformed(Arrays.copyOf(encoded, cut), KvCodec::decode);
    }
  }

  /** Encodings of the samples without the megabyte value: its prefixes add time, no coverage. */
  private static List<byte[]> smallEncodedRequests() {
    List<byte[]> out = new ArrayList<>();
    for (KvRequest r : sampleRequests()) {
      byte[] encoded = KvCodec.encode(r);
      if (encoded.length < SMALL) {
        out.add(encoded);
      }
    }
    return out;
  }

  private static List<byte[]> smallEncodedReplies() {
    List<byte[]> out = new ArrayList<>();
    for (KvReply r : sampleReplies()) {
      byte[] encoded = KvCodec.encodeReply(r);
      if (encoded.length < SMALL) {
        out.add(encoded);
      }
    }
    return out;
  }

  private static void assertEveryPrefixMalformed(byte[] encoded, Function<byte[], ?> decoder) {
    for (int len = 0; len < encoded.length; len++) {
      assertMalformed(Arrays.copyOf(encoded, len), decoder);
    }
  }

  private static MalformedCommandException assertMalformed(
      byte[] input, Function<byte[], ?> decoder) {
    MalformedCommandException e =
        assertThrows(
            MalformedCommandException.class,
            () -> decoder.apply(input),
            () -> "accepted " + Arrays.toString(input));
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
    return e;
  }

  @Test
  void trailingBytesAreMalformed() {
    byte[] encoded = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(K)));
    assertMalformed(Arrays.copyOf(encoded, encoded.length + 1), KvCodec::decode);
    byte[] reply = KvCodec.encodeReply(new KvReply.Ack());
    assertMalformed(Arrays.copyOf(reply, reply.length + 1), KvCodec::decodeReply);
  }

  @Test
  void unknownVersionOrTypeIsMalformed() {
    byte[] encoded = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(K)));
    byte[] badVersion = encoded.clone();
    badVersion[0] = 2;
    assertTrue(assertMalformed(badVersion, KvCodec::decode).getMessage().contains("version"));
    for (byte type : new byte[] {0, 7, (byte) 0xff}) {
      byte[] badType = encoded.clone();
      badType[1] = type;
      assertTrue(assertMalformed(badType, KvCodec::decode).getMessage().contains("type"));
    }
    assertMalformed(new byte[] {1, 0}, KvCodec::decodeReply);
    assertMalformed(new byte[] {1, 6}, KvCodec::decodeReply);
    assertMalformed(new byte[] {0, 1}, KvCodec::decodeReply);
  }

  @Test
  void zeroSeqIsMalformed() {
    byte[] encoded = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(K)));
    ByteBuffer.wrap(encoded).putLong(10, 0);
    assertTrue(assertMalformed(encoded, KvCodec::decode).getMessage().contains("seq"));
  }

  @Test
  void negativeSeqDecodesOnlyForReads() {
    byte[] get = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(K)));
    ByteBuffer.wrap(get).putLong(10, -5);
    assertEquals(new KvRequest(1, -5, new KvCommand.Get(K)), KvCodec.decode(get));
    List<KvCommand> updates = SampleCommands.everyUpdate(K, V);
    for (KvCommand update : updates) {
      byte[] encoded = KvCodec.encode(new KvRequest(1, 1, update));
      ByteBuffer.wrap(encoded).putLong(10, -1);
      String message = assertMalformed(encoded, KvCodec::decode).getMessage();
      assertTrue(message.contains("seq -1 is negative"), message);
    }
  }

  @Test
  void negativeAndOversizedLengthsAreMalformed() {
    byte[] get = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Get(K)));
    int lengthAt = 18;
    for (int bad : new int[] {-1, Integer.MIN_VALUE, K.size() + 1, Integer.MAX_VALUE}) {
      byte[] b = get.clone();
      ByteBuffer.wrap(b).putInt(lengthAt, bad);
      assertTrue(assertMalformed(b, KvCodec::decode).getMessage().contains("length"));
    }
  }

  @Test
  void negativeAndOversizedCountsAreMalformed() {
    byte[] multiGet = KvCodec.encode(new KvRequest(1, 1, new KvCommand.MultiGet(List.of(K))));
    byte[] multiPut =
        KvCodec.encode(new KvRequest(1, 1, new KvCommand.MultiPut(List.of(new KeyValue(K, V)))));
    for (byte[] encoded : List.of(multiGet, multiPut)) {
      for (int bad : new int[] {-1, Integer.MIN_VALUE, 2, Integer.MAX_VALUE}) {
        byte[] b = encoded.clone();
        ByteBuffer.wrap(b).putInt(18, bad);
        assertMalformed(b, KvCodec::decode);
      }
    }
    byte[] values = KvCodec.encodeReply(new KvReply.Values(List.of(V)));
    for (int bad : new int[] {-1, 2, Integer.MAX_VALUE}) {
      byte[] b = values.clone();
      ByteBuffer.wrap(b).putInt(2, bad);
      assertMalformed(b, KvCodec::decodeReply);
    }
  }

  @Test
  void badFlagsAndErrorCodesAreMalformed() {
    byte[] cas = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Cas(K, null, V)));
    int flagAt = 18 + 4 + K.size();
    assertEquals(0, cas[flagAt]);
    cas[flagAt] = 2;
    assertTrue(assertMalformed(cas, KvCodec::decode).getMessage().contains("expected"));

    byte[] casResult = KvCodec.encodeReply(new KvReply.CasResult(true, null));
    casResult[2] = 2;
    assertTrue(assertMalformed(casResult, KvCodec::decodeReply).getMessage().contains("swapped"));

    byte[] error = KvCodec.encodeReply(new KvReply.Failure(KvReply.Code.STALE_SEQUENCE, "m"));
    for (byte code : new byte[] {3, (byte) 0x80, (byte) 0xff}) {
      byte[] b = error.clone();
      b[2] = code;
      assertTrue(assertMalformed(b, KvCodec::decodeReply).getMessage().contains("error code"));
    }
  }

  /**
   * Random inputs and random corruptions of valid encodings: decoding either throws {@link
   * MalformedCommandException} or yields a value whose encoding is exactly the input (the encoding
   * is canonical). Any other exception fails.
   */
  @Test
  void randomBytesDecodeCanonicallyOrAreMalformed() {
    Random random = new Random(12345);
    List<byte[]> valid = smallEncodedRequests();
    List<byte[]> validReplies = smallEncodedReplies();
    for (int i = 0; i < 20_000; i++) {
      byte[] requestInput = randomInput(random, valid);
      checkRequest(requestInput);
      byte[] replyInput = randomInput(random, validReplies);
      checkReply(replyInput);
    }
  }

  private static byte[] randomInput(Random random, List<byte[]> valid) {
    if (random.nextInt(3) == 0) {
      byte[] b = new byte[random.nextInt(64)];
      random.nextBytes(b);
      if (b.length > 0 && random.nextBoolean()) {
        b[0] = KvCodec.VERSION; // get past the version check more often
      }
      return b;
    }
    byte[] b = valid.get(random.nextInt(valid.size())).clone();
    int flips = 1 + random.nextInt(3);
    for (int f = 0; f < flips && b.length > 0; f++) {
      b[random.nextInt(b.length)] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static void checkRequest(byte[] input) {
    KvRequest decoded;
    try {
      decoded = KvCodec.decode(input);
    } catch (MalformedCommandException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("decode threw " + e + " on " + Arrays.toString(input), e);
    }
    assertArrayEquals(input, KvCodec.encode(decoded));
  }

  private static void checkReply(byte[] input) {
    KvReply decoded;
    try {
      decoded = KvCodec.decodeReply(input);
    } catch (MalformedCommandException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("decodeReply threw " + e + " on " + Arrays.toString(input), e);
    }
    if (decoded instanceof KvReply.Failure) {
      return; // a message that is not valid UTF-8 decodes with replacement characters
    }
    assertArrayEquals(input, KvCodec.encodeReply(decoded));
  }

  @Test
  void decodeReturnsIndependentCopies() {
    byte[] encoded = KvCodec.encode(new KvRequest(1, 1, new KvCommand.Put(K, V)));
    KvRequest decoded = KvCodec.decode(encoded);
    Arrays.fill(encoded, (byte) 0);
    assertEquals(new KvCommand.Put(K, V), decoded.command());
  }

  @Test
  void failsOnNoInputAtAll() {
    assertMalformed(new byte[0], KvCodec::decode);
    assertMalformed(new byte[0], KvCodec::decodeReply);
    if (KvCodec.VERSION != 1) {
      fail("the documented layout assumes version 1");
    }
  }
}
