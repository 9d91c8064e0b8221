package io.raftkv.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BytesTest {
  @Test
  void copiesOnTheWayInAndOut() {
    byte[] in = {1, 2, 3};
    Bytes b = Bytes.of(in);
    in[0] = 9;
    byte[] out = b.toByteArray();
    out[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, b.toByteArray());
    assertEquals(3, b.size());
  }

  @Test
  void equalityAndHashAreByContent() {
    assertEquals(Bytes.of(new byte[] {1, 2}), Bytes.of(new byte[] {1, 2}));
    assertEquals(Bytes.of(new byte[] {1, 2}).hashCode(), Bytes.of(new byte[] {1, 2}).hashCode());
    assertNotEquals(Bytes.of(new byte[] {1, 2}), Bytes.of(new byte[] {1, 2, 0}));
    assertEquals(Bytes.EMPTY, Bytes.of(new byte[0]));
    assertEquals(Bytes.utf8("k"), Bytes.of(new byte[] {'k'}));
  }

  @Test
  void utf8RoundTrips() {
    assertEquals("héllo ✓", Bytes.utf8("héllo ✓").toUtf8());
    assertEquals(10, Bytes.utf8("héllo ✓").size()); // 1 + 2 + 3 + 1 + 3
  }

  @Test
  void ordersUnsignedLexicographically() {
    Bytes low = Bytes.of(new byte[] {0x7f});
    Bytes high = Bytes.of(new byte[] {(byte) 0x80});
    assertTrue(low.compareTo(high) < 0, "0x7f sorts before 0x80 (unsigned)");
    assertTrue(Bytes.utf8("ab").compareTo(Bytes.utf8("abc")) < 0, "a prefix sorts first");
    assertTrue(Bytes.EMPTY.compareTo(Bytes.of(new byte[] {0})) < 0);
    assertEquals(0, Bytes.utf8("x").compareTo(Bytes.utf8("x")));

    List<Bytes> sorted = new ArrayList<>(List.of(high, Bytes.utf8("b"), Bytes.EMPTY, low));
    Collections.sort(sorted);
    assertEquals(List.of(Bytes.EMPTY, Bytes.utf8("b"), low, high), sorted);
  }

  @Test
  void toStringIsReadable() {
    assertEquals("\"user:1\"", Bytes.utf8("user:1").toString());
    assertEquals("0x00ff10", Bytes.of(new byte[] {0, (byte) 0xff, 0x10}).toString());
    assertEquals("\"\"", Bytes.EMPTY.toString());
    String longValue = Bytes.utf8("x".repeat(100)).toString();
    assertEquals("\"" + "x".repeat(32) + "\"...(100 bytes)", longValue);
  }
}
