package io.raftkv.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurabilityTest {
  @Test
  void parsesFlagNames() {
    assertEquals(Durability.FSYNC, Durability.parse("fsync"));
    assertEquals(Durability.NOSYNC, Durability.parse(" NoSync "));
    assertEquals(Durability.MEMORY, Durability.parse("memory"));
    for (Durability d : Durability.values()) {
      assertEquals(d, Durability.parse(d.flagName()));
    }
  }

  @Test
  void unknownNameListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durability.parse("sometimes"));
    assertTrue(e.getMessage().contains("'sometimes'"), e.getMessage());
    assertTrue(e.getMessage().contains("fsync, nosync, memory"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durability.parse(null));
  }
}
