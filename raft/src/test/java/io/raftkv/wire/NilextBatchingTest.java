package io.raftkv.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NilextBatchingTest {
  private static Frame.NilextRequest req(long id, long term, int payloadBytes) {
    return new Frame.NilextRequest(id, term, new byte[payloadBytes]);
  }

  private static Frame.NilextAck ack(long id, long term, boolean accepted) {
    return new Frame.NilextAck(id, 2, term, false, accepted, 1);
  }

  /** What a receiver sees: every batch opened up, in order. */
  private static List<Frame> unpack(List<Frame> frames) {
    List<Frame> out = new ArrayList<>();
    for (Frame f : frames) {
      if (f instanceof Frame.NilextBatch b) {
        out.addAll(b.requests());
      } else if (f instanceof Frame.NilextAckBatch b) {
        out.addAll(b.acks());
      } else {
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void nothingToPackReturnsTheSameList() {
    List<Frame> frames =
        List.of(req(1, 4, 3), new Frame.Busy(2), req(3, 4, 3), ack(4, 4, true), new Frame.Busy(5));
    assertSame(frames, NilextBatching.pack(frames));
    List<Frame> empty = List.of();
    assertSame(empty, NilextBatching.pack(empty));
  }

  @Test
  void runsArePackedInOrderAndOtherFramesStayBetweenThem() {
    List<Frame> frames =
        List.of(
            req(1, 4, 3),
            req(2, 4, 3),
            req(3, 4, 3),
            new Frame.ClientRequest(9, new byte[] {1}),
            req(4, 4, 3),
            ack(5, 4, true),
            ack(6, 4, false),
            new Frame.Busy(7),
            ack(8, 4, true));
    List<Frame> packed = NilextBatching.pack(frames);
    assertEquals(6, packed.size(), "" + packed);
    assertEquals(3, assertInstanceOf(Frame.NilextBatch.class, packed.get(0)).requests().size());
    assertInstanceOf(Frame.ClientRequest.class, packed.get(1));
    assertInstanceOf(Frame.NilextRequest.class, packed.get(2));
    assertEquals(2, assertInstanceOf(Frame.NilextAckBatch.class, packed.get(3)).acks().size());
    assertInstanceOf(Frame.Busy.class, packed.get(4));
    assertInstanceOf(Frame.NilextAck.class, packed.get(5));
    assertEquals(frames, unpack(packed));
  }

  @Test
  void aNewTermOrANewViewStartsANewBatch() {
    List<Frame> requests = List.of(req(1, 4, 1), req(2, 4, 1), req(3, 5, 1), req(4, 5, 1));
    List<Frame> packedRequests = NilextBatching.pack(requests);
    assertEquals(2, packedRequests.size());
    assertEquals(4, ((Frame.NilextBatch) packedRequests.get(0)).term());
    assertEquals(5, ((Frame.NilextBatch) packedRequests.get(1)).term());
    assertEquals(requests, unpack(packedRequests));

    Frame.NilextAck leaderNow = new Frame.NilextAck(3, 2, 4, true, true, 2);
    List<Frame> acks = List.of(ack(1, 4, true), ack(2, 4, false), leaderNow, ack(4, 5, true));
    List<Frame> packedAcks = NilextBatching.pack(acks);
    assertEquals(3, packedAcks.size(), "" + packedAcks);
    assertInstanceOf(Frame.NilextAckBatch.class, packedAcks.get(0));
    assertEquals(leaderNow, packedAcks.get(1));
    assertEquals(acks, unpack(packedAcks));
  }

  @Test
  void batchesAreBoundedInItemsAndPayloadBytes() {
    List<Frame> many = new ArrayList<>();
    for (int i = 0; i < 2 * NilextBatching.MAX_ITEMS + 1; i++) {
      many.add(ack(i, 4, true));
    }
    List<Frame> packed = NilextBatching.pack(many);
    assertEquals(3, packed.size());
    assertEquals(NilextBatching.MAX_ITEMS, ((Frame.NilextAckBatch) packed.get(0)).acks().size());
    assertEquals(NilextBatching.MAX_ITEMS, ((Frame.NilextAckBatch) packed.get(1)).acks().size());
    assertInstanceOf(Frame.NilextAck.class, packed.get(2));
    assertEquals(many, unpack(packed));

    int third = NilextBatching.MAX_PAYLOAD_BYTES / 3;
    List<Frame> big =
        List.of(
            req(1, 4, third),
            req(2, 4, third),
            req(3, 4, third),
            req(4, 4, third),
            req(5, 4, NilextBatching.MAX_PAYLOAD_BYTES + 1),
            req(6, 4, 1));
    List<Frame> packedBig = NilextBatching.pack(big);
    assertEquals(4, packedBig.size(), "" + packedBig);
    assertEquals(3, ((Frame.NilextBatch) packedBig.get(0)).requests().size());
    assertInstanceOf(Frame.NilextRequest.class, packedBig.get(1));
    // A request above the byte bound still goes, alone.
    assertInstanceOf(Frame.NilextRequest.class, packedBig.get(2));
    assertInstanceOf(Frame.NilextRequest.class, packedBig.get(3));
    assertEquals(big, unpack(packedBig));
    for (Frame f : packedBig) {
      WireCodec.encode(f); // every batch fits the default frame limit
    }
  }
}
