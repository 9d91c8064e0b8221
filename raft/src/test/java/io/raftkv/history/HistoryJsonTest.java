package io.raftkv.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistoryJsonTest {
  private static final List<Operation> EVERY_KIND =
      List.of(
          Operation.put(0, "x", "1", 100, 250),
          Operation.get(1, "x", "1", 120, 300),
          Operation.get(1, "y", null, 310, 320),
          Operation.cas(2, "x", "1", "2", true, 400, 500),
          Operation.cas(2, "x", null, "3", false, 510, 520),
          Operation.delete(3, "x", 600, 700),
          Operation.unknownPut(0, "x", "4", 800),
          Operation.unknownGet(1, "x", 810),
          Operation.unknownCas(2, "x", "4", "5", 820),
          Operation.unknownDelete(3, "x", 830),
          Operation.put(4, "k\"ey\\", "line\nbreak\ttab \u00e9 \u0001 \u2603", -5, 9_000_000_000L));

  @Test
  void exampleLineOfTheDesignParses() {
    Operation op =
        HistoryJson.parse(
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\","
                + "\"call_ns\":100,\"return_ns\":250,\"ok\":true}");
    assertEquals(Operation.put(0, "x", "1", 100, 250), op);
  }

  @Test
  void toJsonMatchesTheDesignFormat() {
    assertEquals(
        "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\","
            + "\"call_ns\":100,\"return_ns\":250,\"ok\":true}",
        HistoryJson.toJson(Operation.put(0, "x", "1", 100, 250)));
    assertEquals(
        "{\"client\":1,\"op\":\"get\",\"key\":\"x\",\"value\":null,"
            + "\"call_ns\":1,\"return_ns\":2,\"ok\":true}",
        HistoryJson.toJson(Operation.get(1, "x", null, 1, 2)));
    assertEquals(
        "{\"client\":2,\"op\":\"cas\",\"key\":\"x\",\"expected\":null,\"value\":\"2\","
            + "\"call_ns\":5,\"return_ns\":0,\"ok\":false,\"unknown\":true}",
        HistoryJson.toJson(Operation.unknownCas(2, "x", null, "2", 5)));
    assertEquals(
        "{\"client\":3,\"op\":\"delete\",\"key\":\"x\",\"call_ns\":5,\"return_ns\":6,\"ok\":true}",
        HistoryJson.toJson(Operation.delete(3, "x", 5, 6)));
  }

  @Test
  void everyKindRoundTrips() {
    for (Operation op : EVERY_KIND) {
      assertEquals(op, HistoryJson.parse(HistoryJson.toJson(op)), HistoryJson.toJson(op));
    }
  }

  @Test
  void escapesAreWrittenAndRead() {
    String line = HistoryJson.toJson(Operation.put(0, "a\"b", "c\\d\ne\tf\u0002", 1, 2));
    assertTrue(line.contains("\"a\\\"b\""), line);
    assertTrue(line.contains("\"c\\\\d\\ne\\tf\\u0002\""), line);
    Operation parsed =
        HistoryJson.parse(
            "{\"client\":0,\"op\":\"put\",\"key\":\"\\u0078\",\"value\":\"\\\"\\/\\r\","
                + "\"call_ns\":1,\"return_ns\":2,\"ok\":true}");
    assertEquals(Operation.put(0, "x", "\"/\r", 1, 2), parsed);
  }

  @Test
  void whitespaceFieldOrderAndExtraFieldsAreAccepted() {
    Operation op =
        HistoryJson.parse(
            " { \"ok\" : true , \"return_ns\" : 9, \"call_ns\" : 3, \"value\" : null,"
                + " \"key\" : \"x\", \"op\" : \"get\", \"client\" : 7, \"node\": \"n1\" } ");
    assertEquals(Operation.get(7, "x", null, 3, 9), op);
  }

  @Test
  void unknownOutcomeMayLeaveOutOk() {
    Operation op =
        HistoryJson.parse(
            "{\"client\":0,\"op\":\"put\",\"key\":\"x\",\"value\":\"1\","
                + "\"call_ns\":100,\"return_ns\":0,\"unknown\":true}");
    assertEquals(Operation.unknownPut(0, "x", "1", 100), op);
  }

  @Test
  void fileRoundTripsAndSkipsBlankLines(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    HistoryJson.write(file, EVERY_KIND);
    assertEquals(EVERY_KIND, HistoryJson.read(file));
    Files.writeString(
        file, "\n" + Files.readString(file, StandardCharsets.UTF_8) + "\n", StandardCharsets.UTF_8);
    assertEquals(EVERY_KIND, HistoryJson.read(file));
  }

  @Test
  void badLineInFileNamesItsLineNumber(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(
        file,
        HistoryJson.toJson(Operation.put(0, "x", "1", 1, 2))
            + "\n"
            + "{\"client\":0,\"op\":\"put\"\n",
        StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HistoryJson.read(file));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  /** Each line is malformed in one way; the message must name what is wrong. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"client":0,"key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true}        | missing field "op"
          {"client":0,"op":"put","value":"1","call_ns":1,"return_ns":2,"ok":true}       | missing field "key"
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"ok":true}           | missing field "return_ns"
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2}       | missing field "ok"
          {"client":0,"op":"get","key":"x","call_ns":1,"return_ns":2,"ok":true}         | missing field "value"
          {"client":0,"op":"cas","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true} | missing field "expected"
          {"client":0,"op":"incr","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true} | unknown op "incr"
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":tr | expected a value
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true | truncated
          {"client":0,"op":"put","key":"x","value":"1                                      | unterminated string
          {"client":"0","op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true} | field "client" must be an integer
          {"client":0,"op":"put","key":"x","value":1,"call_ns":1,"return_ns":2,"ok":true}    | field "value" must be a string
          {"client":0,"op":"put","key":"x","value":null,"call_ns":1,"return_ns":2,"ok":true} | field "value" must be a string
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1.5,"return_ns":2,"ok":true} | field "call_ns" must be an integer
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":"yes"} | field "ok" must be true or false
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true}x | unexpected text
          {"client":0,"op":"put","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true,"ok":true} | appears twice
          {"client":0,"op":"put","key":"x","value":"\\q","call_ns":1,"return_ns":2,"ok":true} | unknown escape
          {"client":0,"op":"put","key":"x","value":"\\u12","call_ns":1,"return_ns":2,"ok":true} | four hex digits
          {"client":0,"op":"put","key":"x","value":["1"],"call_ns":1,"return_ns":2,"ok":true} | nested
          {"client":0,"op":"put","key":"x","value":"1","call_ns":5,"return_ns":2,"ok":true}  | precedes call time
          {"client":0,"op":"put","key":"x","value":"1","call_ns":5,"return_ns":7,"ok":true,"unknown":true} | unknown outcome has return time 0
          {"client":0,"op":"get","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":false} | failed get
          {"client":0,"op":"delete","key":"x","value":"1","call_ns":1,"return_ns":2,"ok":true} | a delete has no value
          {"client":0,"op":"put","key":"x","value":"1","call_ns":99999999999999999999,"return_ns":2,"ok":true} | out of range
          "client":0                                                                    | expected an object
          ''                                                                            | expected an object
          """)
  void malformedLineIsRejectedWithAMessage(String line, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HistoryJson.parse(line));
    assertTrue(e.getMessage().contains(message), () -> "message was: " + e.getMessage());
  }
}
