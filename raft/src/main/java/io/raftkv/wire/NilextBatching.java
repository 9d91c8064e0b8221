package io.raftkv.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs runs of fast-path frames bound for one connection into batch frames: consecutive {@link
 * Frame.NilextRequest}s of one term into a {@link Frame.NilextBatch}, consecutive {@link
 * Frame.NilextAck}s of one view into a {@link Frame.NilextAckBatch}. Every other frame, and the
 * order of everything, is kept; a run of one stays a plain frame. A receiver handles a batch as the
 * frames it holds, one after the other, so batching changes only the bytes and the per-frame work
 * (one type byte, one length, one decode, one hand-off per batch instead of per update).
 *
 * <p>A batch holds at most {@link #MAX_ITEMS} frames and, for requests, at most {@link
 * #MAX_PAYLOAD_BYTES} of payload (a single larger request still goes alone), so a batch stays far
 * below the default maximum frame size whatever it holds.
 */
public final class NilextBatching {
  /** The most frames one batch holds. */
  public static final int MAX_ITEMS = 1024;

  /** The most payload bytes one request batch holds, unless its only request is larger. */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  private NilextBatching() {}

  /**
   * {@code frames} with every run of batchable frames packed; the same list if nothing packs.
   *
   * @param frames frames for one connection, in send order
   */
  public static List<Frame> pack(List<Frame> frames) {
    if (!anyRun(frames)) {
      return frames;
    }
    List<Frame> out = new ArrayList<>(frames.size());
    int i = 0;
    while (i < frames.size()) {
      int end = runEnd(frames, i);
      if (end - i < 2) {
        out.add(frames.get(i));
      } else if (frames.get(i) instanceof Frame.NilextRequest) {
        List<Frame.NilextRequest> run = new ArrayList<>(end - i);
        for (int k = i; k < end; k++) {
          run.add((Frame.NilextRequest) frames.get(k));
        }
        out.add(new Frame.NilextBatch(run));
      } else {
        List<Frame.NilextAck> run = new ArrayList<>(end - i);
        for (int k = i; k < end; k++) {
          run.add((Frame.NilextAck) frames.get(k));
        }
        out.add(new Frame.NilextAckBatch(run));
      }
      i = end;
    }
    return out;
  }

  /** Whether two neighbours of {@code frames} would share a batch. */
  private static boolean anyRun(List<Frame> frames) {
    for (int i = 0; i + 1 < frames.size(); i++) {
      if (joins(frames.get(i), frames.get(i + 1))) {
        return true;
      }
    }
    return false;
  }

  /** The end (exclusive) of the batch that starts at {@code start}: at least {@code start + 1}. */
  private static int runEnd(List<Frame> frames, int start) {
    Frame first = frames.get(start);
    long bytes = payloadBytes(first);
    int end = start + 1;
    while (end < frames.size() && end - start < MAX_ITEMS && joins(first, frames.get(end))) {
      bytes += payloadBytes(frames.get(end));
      if (bytes > MAX_PAYLOAD_BYTES) {
        break;
      }
      end++;
    }
    return end;
  }

  /** Whether {@code next} may join a batch that began with {@code first}. */
  private static boolean joins(Frame first, Frame next) {
    if (first instanceof Frame.NilextRequest a && next instanceof Frame.NilextRequest b) {
      return a.term() == b.term();
    }
    if (first instanceof Frame.NilextAck a && next instanceof Frame.NilextAck b) {
      return Frame.NilextAckBatch.sameView(a, b);
    }
    return false;
  }

  private static long payloadBytes(Frame f) {
    return f instanceof Frame.NilextRequest r ? r.payload().length : 0;
  }
}
