package io.raftkv.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.core.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/wire-format.md exists and documents every frame and message type with its type byte. */
class WireFormatDocTest {
  private static final Path DOC = Path.of("..", "docs", "wire-format.md");

  private static String doc() throws IOException {
    assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " should exist");
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  @Test
  void everyFrameTypeHasARowWithItsTypeByteAndASection() throws IOException {
    String doc = doc();
    Map<String, Byte> types =
        Map.ofEntries(
            Map.entry("Handshake", WireCodec.HANDSHAKE),
            Map.entry("HandshakeRejected", WireCodec.HANDSHAKE_REJECTED),
            Map.entry("PeerMessage", WireCodec.PEER_MESSAGE),
            Map.entry("ClientRequest", WireCodec.CLIENT_REQUEST),
            Map.entry("ClientReply", WireCodec.CLIENT_REPLY),
            Map.entry("NotLeader", WireCodec.NOT_LEADER),
            Map.entry("Busy", WireCodec.BUSY),
            Map.entry("LeaderQuery", WireCodec.LEADER_QUERY),
            Map.entry("LeaderInfo", WireCodec.LEADER_INFO),
            Map.entry("StatusQuery", WireCodec.STATUS_QUERY),
            Map.entry("StatusInfo", WireCodec.STATUS_INFO),
            Map.entry("NilextRequest", WireCodec.NILEXT_REQUEST),
            Map.entry("NilextAck", WireCodec.NILEXT_ACK),
            Map.entry("NilextBatch", WireCodec.NILEXT_BATCH),
            Map.entry("NilextAckBatch", WireCodec.NILEXT_ACK_BATCH));
    for (Class<?> c : Frame.class.getPermittedSubclasses()) {
      String name = c.getSimpleName();
      assertTrue(types.containsKey(name), name + " needs a type byte in this test");
      String hex = String.format("`0x%02X`", types.get(name));
      String row = "| " + hex + " | `" + name + "` |";
      assertTrue(doc.contains(row), "the frame table should have the row " + row);
      String section = "### `" + name + "` (" + hex + ")";
      assertTrue(doc.contains(section), "the doc should have the section " + section);
    }
  }

  @Test
  void everyMessageTypeIsDocumentedWithItsSubTypeByte() throws IOException {
    String doc = doc();
    List<String> order =
        List.of(
            "VoteRequest",
            "VoteResponse",
            "AppendEntriesRequest",
            "AppendEntriesResponse",
            "HeartbeatRequest",
            "HeartbeatResponse",
            "DurabilityLogRequest",
            "DurabilityLogResponse",
            "DurabilityLogPrune");
    for (Class<?> c : Message.class.getPermittedSubclasses()) {
      String name = c.getSimpleName();
      int subType = order.indexOf(name) + 1;
      assertTrue(subType > 0, name + " is not documented in this test");
      assertTrue(doc.contains("`" + subType + "` " + name), name + " in the header table");
      assertTrue(doc.contains("`" + name + "` (`" + subType + "`)"), name + " has a table");
    }
  }

  @Test
  void theDocCoversHandshakeLimitsAndMalformedInput() throws IOException {
    String doc = doc();
    for (String s :
        List.of(
            "RKV1",
            "16 MiB",
            "## The handshake",
            "## Limits",
            "## Malformed input",
            "closes that connection",
            "MalformedFrameException")) {
      assertTrue(doc.contains(s), "the doc should mention " + s);
    }
  }
}
