package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(String... lines) throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return LoadMain.run(
        new String[] {"check", file.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLinearizableHistoryExitsZero() throws IOException {
    int code =
        check(
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\",\"call_ns\":100,\"return_ns\":200,\"ok\":true}",
            "{\"client\":1,\"op\":\"get\",\"key\":\"x\",\"value\":\"1\",\"call_ns\":300,\"return_ns\":400,\"ok\":true}",
            "{\"client\":2,\"op\":\"put\",\"key\":\"x\",\"value\":\"2\",\"call_ns\":500,\"return_ns\":0,\"unknown\":true}");
    assertEquals(0, code, output() + err);
    assertTrue(output().contains("linearizable: 3 operations (1 with unknown outcome)"), output());
  }

  @Test
  void aStaleReadExitsOneAndNamesTheKey() throws IOException {
    int code =
        check(
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\",\"call_ns\":100,\"return_ns\":200,\"ok\":true}",
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"2\",\"call_ns\":300,\"return_ns\":400,\"ok\":true}",
            "{\"client\":1,\"op\":\"get\",\"key\":\"x\",\"value\":\"1\",\"call_ns\":500,\"return_ns\":600,\"ok\":true}");
    assertEquals(1, code, output());
    assertTrue(output().contains("NOT linearizable: key x"), output());
  }

  @Test
  void aMalformedLineIsAUsageErrorNamingTheLine() throws IOException {
    int code =
        check(
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\",\"call_ns\":100,\"return_ns\":200,\"ok\":true}",
            "{\"client\":0,\"op\":\"frobnicate\"}");
    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("line 2"), err.toString());
  }

  @Test
  void aMissingFileOrArgumentIsAUsageError() {
    assertEquals(
        2,
        LoadMain.run(
            new String[] {"check"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals(
        2,
        LoadMain.run(
            new String[] {"check", dir.resolve("absent.jsonl").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read history file"));
  }
}
