package io.raftkv.wire;

import static io.raftkv.wire.WireCodecTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSplitterTest {

  /** Small frames of every type, back to back. */
  private static final List<Frame> FRAMES =
      SampleFrames.all().stream().filter(f -> SampleFrames.body(f).length < 2048).toList();

  private static byte[] stream(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      out.writeBytes(SampleFrames.whole(f));
    }
    return out.toByteArray();
  }

  private static List<Frame> decodeAll(List<ByteBuffer> bodies) {
    List<Frame> frames = new ArrayList<>();
    for (ByteBuffer b : bodies) {
      frames.add(WireCodec.decodeBody(b));
    }
    return frames;
  }

  @Test
  void aStreamCutAtEveryByteBoundaryReassembles() {
    byte[] stream = stream(FRAMES);
    for (int cut = 0; cut <= stream.length; cut++) {
      FrameSplitter splitter = new FrameSplitter();
      List<ByteBuffer> bodies = new ArrayList<>(splitter.feed(ByteBuffer.wrap(stream, 0, cut)));
      bodies.addAll(splitter.feed(ByteBuffer.wrap(stream, cut, stream.length - cut)));
      assertEquals(FRAMES, decodeAll(bodies), "cut at " + cut);
      assertEquals(0, splitter.bufferedBytes());
    }
  }

  @Test
  void aStreamFedOneByteAtATimeReassembles() {
    byte[] stream = stream(FRAMES);
    FrameSplitter splitter = new FrameSplitter();
    List<ByteBuffer> bodies = new ArrayList<>();
    for (int i = 0; i < stream.length; i++) {
      bodies.addAll(splitter.feed(ByteBuffer.wrap(stream, i, 1)));
    }
    assertEquals(FRAMES, decodeAll(bodies));
  }

  @Test
  void largeFramesInRandomChunksReassemble() {
    List<Frame> all = SampleFrames.all();
    byte[] stream = stream(all);
    Random random = new Random(5);
    for (int round = 0; round < 5; round++) {
      FrameSplitter splitter = new FrameSplitter();
      List<ByteBuffer> bodies = new ArrayList<>();
      int pos = 0;
      while (pos < stream.length) {
        int n = Math.min(stream.length - pos, 1 + random.nextInt(70_000));
        splitter.feed(ByteBuffer.wrap(stream, pos, n), bodies::add);
        pos += n;
      }
      assertEquals(all, decodeAll(bodies));
    }
  }

  @Test
  void bodiesAreCompleteAndOwnTheirBytes() {
    byte[] whole = SampleFrames.whole(new Frame.Busy(7));
    FrameSplitter splitter = new FrameSplitter();
    List<ByteBuffer> bodies = splitter.feed(ByteBuffer.wrap(whole));
    assertEquals(1, bodies.size());
    ByteBuffer body = bodies.get(0);
    Arrays.fill(whole, (byte) 0);
    assertEquals(9, body.remaining());
    assertEquals(new Frame.Busy(7), WireCodec.decodeBody(body));
  }

  @Test
  void bufferedBytesTracksAPartialFrame() {
    byte[] whole = SampleFrames.whole(new Frame.Busy(7));
    FrameSplitter splitter = new FrameSplitter();
    assertTrue(splitter.feed(ByteBuffer.wrap(whole, 0, 2)).isEmpty());
    assertEquals(2, splitter.bufferedBytes());
    assertTrue(splitter.feed(ByteBuffer.wrap(whole, 2, 5)).isEmpty());
    assertEquals(7, splitter.bufferedBytes());
    assertEquals(1, splitter.feed(ByteBuffer.wrap(whole, 7, whole.length - 7)).size());
    assertEquals(0, splitter.bufferedBytes());
  }

  @Test
  void anOversizedLengthIsRejectedBeforeTheBodyArrives() {
    FrameSplitter splitter = new FrameSplitter(1000);
    // Only the length field: nothing of the body has been sent.
    MalformedFrameException e =
        assertThrows(
            MalformedFrameException.class, () -> splitter.feed(ByteBuffer.wrap(hex("000003e9"))));
    assertTrue(e.getMessage().contains("frame length 1001 is outside 1..1000"), e.getMessage());
    assertTrue(splitter.bufferedBytes() <= WireCodec.LENGTH_FIELD_BYTES);
    // The stream cannot be resynchronized: the splitter stays failed.
    assertSame(
        e,
        assertThrows(
            MalformedFrameException.class, () -> splitter.feed(ByteBuffer.wrap(new byte[] {1}))));

    FrameSplitter byDefault = new FrameSplitter();
    assertThrows(
        MalformedFrameException.class, () -> byDefault.feed(ByteBuffer.wrap(hex("01000001"))));
  }

  @Test
  void lengthsWithTheTopBitSetAreRejectedAsHuge() {
    MalformedFrameException e =
        assertThrows(
            MalformedFrameException.class,
            () -> new FrameSplitter().feed(ByteBuffer.wrap(hex("ffffffff 00"))));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @Test
  void aZeroLengthIsRejected() {
    MalformedFrameException e =
        assertThrows(
            MalformedFrameException.class,
            () -> new FrameSplitter().feed(ByteBuffer.wrap(hex("00000000 23"))));
    assertTrue(e.getMessage().contains("frame length 0"), e.getMessage());
  }

  @Test
  void framesBeforeABadLengthAreDelivered() {
    byte[] good = SampleFrames.whole(new Frame.Busy(1));
    byte[] stream = Arrays.copyOf(good, good.length + 4);
    List<ByteBuffer> bodies = new ArrayList<>();
    assertThrows(
        MalformedFrameException.class,
        () -> new FrameSplitter().feed(ByteBuffer.wrap(stream), bodies::add));
    assertEquals(List.of(new Frame.Busy(1)), decodeAll(bodies));
  }

  @Test
  void aFrameOfExactlyTheMaximumIsAccepted() {
    Frame f = new Frame.ClientRequest(1, new byte[100]);
    byte[] whole = SampleFrames.whole(f);
    FrameSplitter splitter = new FrameSplitter(whole.length - 4);
    assertEquals(List.of(f), decodeAll(splitter.feed(ByteBuffer.wrap(whole))));
    assertThrows(
        MalformedFrameException.class,
        () -> new FrameSplitter(whole.length - 5).feed(ByteBuffer.wrap(whole)));
  }

  @Test
  void aBodyOfLengthOneIsHandedOverForTheCodecToJudge() {
    List<ByteBuffer> bodies = new FrameSplitter().feed(ByteBuffer.wrap(hex("00000001 24")));
    assertEquals(1, bodies.size());
    assertArrayEquals(new byte[] {0x24}, Arrays.copyOf(bodies.get(0).array(), 1));
    assertThrows(MalformedFrameException.class, () -> WireCodec.decodeBody(bodies.get(0)));
  }

  @Test
  void theLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new FrameSplitter(0));
  }
}
