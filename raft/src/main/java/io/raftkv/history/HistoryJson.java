package io.raftkv.history;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The history file format of DESIGN.md ("Measurement"): UTF-8 JSON lines, one flat object per
 * operation, for example
 *
 * <pre>{@code
 * {"client":0,"op":"put","key":"x","value":"1","call_ns":100,"return_ns":250,"ok":true}
 * {"client":1,"op":"get","key":"x","value":null,"call_ns":120,"return_ns":180,"ok":true}
 * {"client":2,"op":"cas","key":"x","expected":"1","value":"2","call_ns":300,"return_ns":0,"ok":false,"unknown":true}
 * {"client":0,"op":"delete","key":"x","call_ns":400,"return_ns":450,"ok":true}
 * }</pre>
 *
 * <p>Fields: {@code client} (int), {@code op} (put, get, cas, delete), {@code key}, {@code value}
 * (put and cas: the value written; get: the value read, null when missing; absent for delete),
 * {@code expected} (cas only; null means "absent"), {@code call_ns}, {@code return_ns} (0 when the
 * outcome is unknown), {@code ok} (cas: whether it swapped; true otherwise; may be left out when
 * the outcome is unknown) and {@code unknown} (written only when true). Other fields are ignored,
 * so writers may add some. Blank lines are skipped when reading.
 */
public final class HistoryJson {
  private HistoryJson() {}

  /** One operation as one line of JSON, without a line terminator. */
  public static String toJson(Operation op) {
    StringBuilder out = new StringBuilder(96);
    out.append("{\"client\":").append(op.client());
    out.append(",\"op\":\"").append(op.type().jsonName()).append('"');
    out.append(",\"key\":");
    appendString(out, op.key());
    if (op.type() == OpType.CAS) {
      out.append(",\"expected\":");
      appendString(out, op.expected());
    }
    if (op.type() != OpType.DELETE) {
      out.append(",\"value\":");
      appendString(out, op.value());
    }
    out.append(",\"call_ns\":").append(op.callNanos());
    out.append(",\"return_ns\":").append(op.returnNanos());
    out.append(",\"ok\":").append(op.ok());
    if (op.unknown()) {
      out.append(",\"unknown\":true");
    }
    return out.append('}').toString();
  }

  private static void appendString(StringBuilder out, String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Parses one line of a history.
   *
   * @throws IllegalArgumentException saying what is wrong: malformed JSON (with its column), a
   *     missing field, a field of the wrong type, an unknown op, or an inconsistent operation
   */
  public static Operation parse(String line) {
    Map<String, Object> fields = FlatJsonParser.parse(line);
    OpType type = OpType.fromJsonName(requireString(fields, "op"));
    boolean unknown = fields.containsKey("unknown") && bool(fields, "unknown");
    int client = toInt(integer(fields, "client"));
    String key = requireString(fields, "key");
    long call = integer(fields, "call_ns");
    long ret = integer(fields, "return_ns");
    boolean ok = unknown ? fields.containsKey("ok") && bool(fields, "ok") : bool(fields, "ok");
    String value =
        switch (type) {
          case PUT, CAS -> requireString(fields, "value");
          case GET -> unknown ? optionalString(fields, "value") : nullableString(fields, "value");
          case DELETE -> optionalString(fields, "value");
        };
    String expected =
        type == OpType.CAS
            ? nullableString(fields, "expected")
            : optionalString(fields, "expected");
    try {
      return new Operation(client, type, key, value, expected, call, ret, ok, unknown);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("inconsistent operation: " + e.getMessage(), e);
    }
  }

  private static Object field(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing field \"" + name + "\"");
    }
    return value;
  }

  private static String requireString(Map<String, Object> fields, String name) {
    Object value = field(fields, name);
    if (value instanceof String s) {
      return s;
    }
    throw wrongType(name, "a string", value);
  }

  /** A string or null, which must be present. */
  private static String nullableString(Map<String, Object> fields, String name) {
    Object value = field(fields, name);
    return value == FlatJsonParser.NULL ? null : requireString(fields, name);
  }

  /** A string, null, or no field at all. */
  private static String optionalString(Map<String, Object> fields, String name) {
    return fields.containsKey(name) ? nullableString(fields, name) : null;
  }

  private static long integer(Map<String, Object> fields, String name) {
    Object value = field(fields, name);
    if (value instanceof Long l) {
      return l;
    }
    throw wrongType(name, "an integer", value);
  }

  private static boolean bool(Map<String, Object> fields, String name) {
    Object value = field(fields, name);
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrongType(name, "true or false", value);
  }

  private static int toInt(long client) {
    if (client < Integer.MIN_VALUE || client > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("field \"client\" is out of the int range: " + client);
    }
    return (int) client;
  }

  private static IllegalArgumentException wrongType(String name, String wanted, Object value) {
    String got = value instanceof String s ? "the string \"" + s + "\"" : String.valueOf(value);
    return new IllegalArgumentException(
        "field \"" + name + "\" must be " + wanted + ", got " + got);
  }

  /**
   * Reads a history file.
   *
   * @throws IllegalArgumentException naming the file and line number of the first bad line
   */
  public static List<Operation> read(Path file) throws IOException {
    List<Operation> ops = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          ops.add(parse(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ": line " + number + ": " + e.getMessage(), e);
        }
      }
    }
    return ops;
  }

  /** Writes {@code ops} to {@code file}, one line each, replacing the file. */
  public static void write(Path file, List<Operation> ops) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Operation op : ops) {
        writer.write(toJson(op));
        writer.write('\n');
      }
    }
  }
}
