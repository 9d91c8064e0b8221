package io.raftkv.kv;

import io.raftkv.codec.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The compact binary encoding of requests and replies, as carried in log entries, durability logs
 * and on the wire. All integers are big-endian.
 *
 * <pre>
 * request  = version:u8 type:u8 clientId:i64 seq:i64 body
 *            (seq is never 0; a negative seq, a sessionless read, only for GET and MULTI_GET)
 *   PUT 1       key:bytes value:bytes
 *   DELETE 2    key:bytes
 *   GET 3       key:bytes
 *   CAS 4       key:bytes expected:nullable value:bytes
 *   MULTI_PUT 5 count:i32 (key:bytes value:bytes)*
 *   MULTI_GET 6 count:i32 key:bytes*
 * reply    = version:u8 type:u8 body
 *   ACK 1        (empty)
 *   VALUE 2      value:nullable
 *   CAS_RESULT 3 swapped:u8(0|1) current:nullable
 *   VALUES 4     count:i32 value:nullable*
 *   ERROR 5      code:u8 message:bytes(UTF-8)
 * bytes    = length:i32 (0 or more) content
 * nullable = 0:u8 (absent) | 1:u8 bytes
 * </pre>
 *
 * Decoding is total: any input either decodes to exactly the value that was encoded or throws
 * {@link MalformedCommandException} with a message that says what is wrong and where. Lengths and
 * counts are checked against the bytes that remain before anything is allocated, and trailing bytes
 * are rejected, so no proper prefix of an encoding decodes.
 */
public final class KvCodec {
  /** The format version written as the first byte of every encoding. */
  public static final byte VERSION = 1;

  private static final byte PUT = 1;
  private static final byte DELETE = 2;
  private static final byte GET = 3;
  private static final byte CAS = 4;
  private static final byte MULTI_PUT = 5;
  private static final byte MULTI_GET = 6;

  private static final byte ACK = 1;
  private static final byte VALUE = 2;
  private static final byte CAS_RESULT = 3;
  private static final byte VALUES = 4;
  private static final byte ERROR = 5;

  /** Error codes on the wire, by position; fixed independently of the enum's declaration order. */
  private static final KvReply.Code[] CODES = {
    KvReply.Code.SESSION_EXPIRED, KvReply.Code.STALE_SEQUENCE, KvReply.Code.INVALID_COMMAND
  };

  private KvCodec() {}

  public static byte[] encode(KvRequest r) {
    Writer w = new Writer();
    w.u8(VERSION);
    KvCommand c = r.command();
    w.u8(typeOf(c));
    w.i64(r.clientId());
    w.i64(r.seq());
    if (c instanceof KvCommand.Put p) {
      w.bytes(p.key());
      w.bytes(p.value());
    } else if (c instanceof KvCommand.Delete d) {
      w.bytes(d.key());
    } else if (c instanceof KvCommand.Get g) {
      w.bytes(g.key());
    } else if (c instanceof KvCommand.Cas cas) {
      w.bytes(cas.key());
      w.nullable(cas.expected());
      w.bytes(cas.value());
    } else if (c instanceof KvCommand.MultiPut mp) {
      w.i32(mp.entries().size());
      for (KeyValue kv : mp.entries()) {
        w.bytes(kv.key());
        w.bytes(kv.value());
      }
    } else if (c instanceof KvCommand.MultiGet mg) {
      w.i32(mg.keys().size());
      for (Bytes k : mg.keys()) {
        w.bytes(k);
      }
    }
    return w.toByteArray();
  }

  public static KvRequest decode(byte[] b) {
    Reader r = new Reader(b, "request");
    r.version();
    byte type = r.u8("type");
    long clientId = r.i64("clientId");
    long seq = r.i64("seq");
    KvCommand command;
    switch (type) {
      case PUT -> command = new KvCommand.Put(r.bytes("key"), r.bytes("value"));
      case DELETE -> command = new KvCommand.Delete(r.bytes("key"));
      case GET -> command = new KvCommand.Get(r.bytes("key"));
      case CAS ->
          command = new KvCommand.Cas(r.bytes("key"), r.nullable("expected"), r.bytes("value"));
      case MULTI_PUT -> {
        int n = r.count("entries", 8);
        List<KeyValue> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(new KeyValue(r.bytes("key"), r.bytes("value")));
        }
        command = new KvCommand.MultiPut(entries);
      }
      case MULTI_GET -> {
        int n = r.count("keys", 4);
        List<Bytes> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          keys.add(r.bytes("key"));
        }
        command = new KvCommand.MultiGet(keys);
      }
      default -> throw new MalformedCommandException("request: unknown command type " + type);
    }
    r.end();
    String problem = KvRequest.seqProblem(seq, command);
    if (problem != null) {
      throw new MalformedCommandException("request: " + problem);
    }
    return new KvRequest(clientId, seq, command);
  }

  public static byte[] encodeReply(KvReply reply) {
    Writer w = new Writer();
    w.u8(VERSION);
    if (reply instanceof KvReply.Ack) {
      w.u8(ACK);
    } else if (reply instanceof KvReply.Value v) {
      w.u8(VALUE);
      w.nullable(v.value());
    } else if (reply instanceof KvReply.CasResult c) {
      w.u8(CAS_RESULT);
      w.u8(c.swapped() ? (byte) 1 : (byte) 0);
      w.nullable(c.current());
    } else if (reply instanceof KvReply.Values vs) {
      w.u8(VALUES);
      w.i32(vs.values().size());
      for (Bytes v : vs.values()) {
        w.nullable(v);
      }
    } else if (reply instanceof KvReply.Failure e) {
      w.u8(ERROR);
      w.u8(codeByte(e.code()));
      w.bytes(Bytes.utf8(e.message()));
    } else {
      throw new IllegalArgumentException("unknown reply " + reply);
    }
    return w.toByteArray();
  }

  public static KvReply decodeReply(byte[] b) {
    Reader r = new Reader(b, "reply");
    r.version();
    byte type = r.u8("type");
    KvReply reply;
    switch (type) {
      case ACK -> reply = new KvReply.Ack();
      case VALUE -> reply = new KvReply.Value(r.nullable("value"));
      case CAS_RESULT -> reply = new KvReply.CasResult(r.bool("swapped"), r.nullable("current"));
      case VALUES -> {
        int n = r.count("values", 1);
        List<Bytes> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          values.add(r.nullable("value"));
        }
        reply = new KvReply.Values(values);
      }
      case ERROR -> {
        int code = r.u8("error code") & 0xff;
        if (code >= CODES.length) {
          throw new MalformedCommandException("reply: unknown error code " + code);
        }
        reply = new KvReply.Failure(CODES[code], r.bytes("message").toUtf8());
      }
      default -> throw new MalformedCommandException("reply: unknown reply type " + type);
    }
    r.end();
    return reply;
  }

  private static byte typeOf(KvCommand c) {
    if (c instanceof KvCommand.Put) {
      return PUT;
    } else if (c instanceof KvCommand.Delete) {
      return DELETE;
    } else if (c instanceof KvCommand.Get) {
      return GET;
    } else if (c instanceof KvCommand.Cas) {
      return CAS;
    } else if (c instanceof KvCommand.MultiPut) {
      return MULTI_PUT;
    } else if (c instanceof KvCommand.MultiGet) {
      return MULTI_GET;
    }
    throw new IllegalArgumentException("unknown command " + c);
  }

  private static byte codeByte(KvReply.Code code) {
    for (int i = 0; i < CODES.length; i++) {
      if (CODES[i] == code) {
        return (byte) i;
      }
    }
    throw new IllegalArgumentException("no wire code for " + code);
  }

  /** Adds the command codec's byte strings to the shared writer. */
  private static final class Writer extends ByteWriter {
    void bytes(Bytes b) {
      bytes(b.array());
    }

    void nullable(Bytes b) {
      if (b == null) {
        u8((byte) 0);
      } else {
        u8((byte) 1);
        bytes(b);
      }
    }
  }

  /** A bounds-checked big-endian reader; every failure is a {@link MalformedCommandException}. */
  private static final class Reader {
    private final byte[] b;
    private final String what;
    private int pos;

    Reader(byte[] b, String what) {
      this.b = Objects.requireNonNull(b, what);
      this.what = what;
    }

    private int remaining() {
      return b.length - pos;
    }

    private void need(int n, String field) {
      if (remaining() < n) {
        throw malformed(
            "truncated at " + field + ": need " + n + " bytes, " + remaining() + " remain");
      }
    }

    private MalformedCommandException malformed(String detail) {
      return new MalformedCommandException(
          what + " (" + b.length + " bytes) at offset " + pos + ": " + detail);
    }

    void version() {
      byte v = u8("version");
      if (v != VERSION) {
        throw malformed("unsupported version " + v + ", expected " + VERSION);
      }
    }

    byte u8(String field) {
      need(1, field);
      return b[pos++];
    }

    boolean bool(String field) {
      byte v = u8(field);
      if (v != 0 && v != 1) {
        throw malformed(field + " must be 0 or 1, got " + v);
      }
      return v == 1;
    }

    int i32(String field) {
      need(4, field);
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    long i64(String field) {
      need(8, field);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[pos++] & 0xff);
      }
      return v;
    }

    Bytes bytes(String field) {
      int n = i32(field + " length");
      if (n < 0) {
        throw malformed(field + " has negative length " + n);
      }
      if (n > remaining()) {
        throw malformed(field + " length " + n + " exceeds the " + remaining() + " bytes left");
      }
      Bytes v = Bytes.wrap(Arrays.copyOfRange(b, pos, pos + n));
      pos += n;
      return v;
    }

    Bytes nullable(String field) {
      byte flag = u8(field + " presence");
      return switch (flag) {
        case 0 -> null;
        case 1 -> bytes(field);
        default -> throw malformed(field + " presence must be 0 or 1, got " + flag);
      };
    }

    /** A count of items each taking at least {@code minItemBytes}, checked against the input. */
    int count(String field, int minItemBytes) {
      int n = i32(field + " count");
      if (n < 0) {
        throw malformed(field + " has negative count " + n);
      }
      if (n > remaining() / minItemBytes) {
        throw malformed(
            field + " count " + n + " cannot fit in the " + remaining() + " bytes left");
      }
      return n;
    }

    void end() {
      if (remaining() != 0) {
        throw malformed(remaining() + " trailing bytes");
      }
    }
  }
}
