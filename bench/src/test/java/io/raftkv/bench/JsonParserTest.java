package io.raftkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {
  @Test
  void parsesNestedValuesInDocumentOrder() {
    Object v =
        JsonParser.parse(
            "[{\"b\": 1.5e3, \"a\": [true, false, null], \"s\": \"x\\\"\\u00e9\\n\"}, {}, []]");
    Map<String, Object> first =
        Map.of("b", 1500.0, "a", Arrays.asList(true, false, null), "s", "x\"é\n");
    assertEquals(List.of(first, Map.of(), List.of()), v);
    assertEquals(List.of("b", "a", "s"), List.copyOf(((Map<?, ?>) ((List<?>) v).get(0)).keySet()));
  }

  @Test
  void rejectsMalformedJsonWithItsOffset() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("{\"a\" 1}"));
    assertEquals("JSON: expected ':' at offset 5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("[1, 2"));
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("\"open"));
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse("1 2"));
  }
}
