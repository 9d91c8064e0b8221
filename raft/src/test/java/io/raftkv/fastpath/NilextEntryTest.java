package io.raftkv.fastpath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.MalformedCommandException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NilextEntryTest {
  private static final KvRequest PUT =
      new KvRequest(42, 7, new KvCommand.Put(Bytes.utf8("k"), Bytes.utf8("v")));

  @Test
  void identityAndKeysComeFromTheRequest() {
    NilextEntry e = NilextEntry.of(3, PUT);
    assertEquals(new NilextId(42, 7), e.id());
    assertEquals(List.of(Bytes.utf8("k")), e.keys());
    assertEquals(PUT, e.request());
    assertEquals(3, e.term());
  }

  @Test
  void decodeOfTheEncodingIsTheSameEntry() {
    NilextEntry e = NilextEntry.of(3, PUT);
    NilextEntry back = NilextEntry.decode(3, KvCodec.encode(PUT));
    assertEquals(e, back);
    assertEquals(e.hashCode(), back.hashCode());
    assertNotEquals(e, back.withTerm(4));
    assertEquals(back.id(), back.withTerm(4).id());
    assertSame(back, back.withTerm(3));
  }

  @Test
  void anEntryOfTheReceivedBytesEqualsTheEncodedOne() {
    byte[] received = KvCodec.encode(PUT);
    NilextEntry e = NilextEntry.ofReceived(3, PUT, received);
    assertEquals(NilextEntry.of(3, PUT), e);
    assertArrayEquals(received, e.command());
    KvRequest cas = new KvRequest(1, 1, new KvCommand.Cas(Bytes.utf8("k"), null, Bytes.utf8("v")));
    assertThrows(
        IllegalArgumentException.class, () -> NilextEntry.ofReceived(1, cas, KvCodec.encode(cas)));
  }

  @Test
  void theBytesCannotBeChangedFromOutside() {
    byte[] encoded = KvCodec.encode(PUT);
    NilextEntry e = NilextEntry.decode(1, encoded);
    encoded[encoded.length - 1] ^= 1;
    e.command()[0] ^= 1;
    assertEquals(PUT, e.request());
  }

  @Test
  void onlyNilextUpdatesAndValidTermsAreEntries() {
    KvRequest cas = new KvRequest(1, 1, new KvCommand.Cas(Bytes.utf8("k"), null, Bytes.utf8("v")));
    KvRequest get = new KvRequest(1, 1, new KvCommand.Get(Bytes.utf8("k")));
    assertThrows(IllegalArgumentException.class, () -> NilextEntry.of(1, cas));
    assertThrows(IllegalArgumentException.class, () -> NilextEntry.decode(1, KvCodec.encode(get)));
    assertThrows(IllegalArgumentException.class, () -> NilextEntry.of(0, PUT));
    assertThrows(MalformedCommandException.class, () -> NilextEntry.decode(1, new byte[] {1, 2}));
  }
}
