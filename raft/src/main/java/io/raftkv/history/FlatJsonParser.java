package io.raftkv.history;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one flat JSON object: members whose values are strings, integers, true, false or null.
 * Nested objects and arrays, fractions and exponents are refused: history lines never hold them.
 * Every error says what was wrong and at which column (counted from 1).
 */
final class FlatJsonParser {
  /** Stands for JSON null in the parsed map, so that "null" and "missing" stay distinct. */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private final String text;
  private int pos;

  private FlatJsonParser(String text) {
    this.text = text;
  }

  /**
   * The members of the object in {@code text}, in order; values are {@link String}, {@link Long},
   * {@link Boolean} or {@link #NULL}.
   *
   * @throws IllegalArgumentException naming the problem and its column
   */
  static Map<String, Object> parse(String text) {
    return new FlatJsonParser(text).object();
  }

  private Map<String, Object> object() {
    Map<String, Object> members = new LinkedHashMap<>();
    skipSpace();
    expect('{', "an object starting with '{'");
    skipSpace();
    if (peek() == '}') {
      pos++;
    } else {
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a field name in double quotes");
        }
        int nameAt = pos;
        String name = string();
        skipSpace();
        expect(':', "':' after field \"" + name + "\"");
        skipSpace();
        Object value = value(name);
        if (members.put(name, value) != null) {
          pos = nameAt;
          throw error("field \"" + name + "\" appears twice");
        }
        skipSpace();
        char c = peek();
        pos++;
        if (c == '}') {
          break;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}' after the value of \"" + name + "\"");
        }
      }
    }
    skipSpace();
    if (pos < text.length()) {
      throw error("unexpected text after the closing '}'");
    }
    return members;
  }

  private Object value(String name) {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return integer(name);
    }
    if (text.startsWith("true", pos)) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("false", pos)) {
      pos += 5;
      return Boolean.FALSE;
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return NULL;
    }
    if (c == '{' || c == '[') {
      throw error("field \"" + name + "\" holds a nested object or array, which is not supported");
    }
    throw error("expected a value for field \"" + name + "\"");
  }

  private String string() {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string (must be escaped)");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char escape = text.charAt(pos++);
      switch (escape) {
        case '"', '\\', '/' -> out.append(escape);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> out.append(unicodeEscape());
        default -> {
          pos -= 2;
          throw error("unknown escape \\" + escape + " in a string");
        }
      }
    }
  }

  private char unicodeEscape() {
    if (pos + 4 > text.length()) {
      pos -= 2;
      throw error("truncated \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      if (digit < 0) {
        pos -= 2;
        throw error("\\u must be followed by four hex digits");
      }
      code = code * 16 + digit;
    }
    pos += 4;
    return (char) code;
  }

  private Long integer(String name) {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == digits) {
      throw error("expected digits in the number of field \"" + name + "\"");
    }
    char c = peek();
    if (c == '.' || c == 'e' || c == 'E') {
      throw error("field \"" + name + "\" must be an integer");
    }
    try {
      return Long.parseLong(text.substring(start, pos));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("the number of field \"" + name + "\" is out of range");
    }
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  /** The character at the cursor, or 0 at the end of the text. */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private void expect(char c, String what) {
    if (peek() != c) {
      throw error("expected " + what);
    }
    pos++;
  }

  private IllegalArgumentException error(String message) {
    String where =
        pos >= text.length() ? "at the end of the line (truncated?)" : "at column " + (pos + 1);
    return new IllegalArgumentException(message + " " + where);
  }
}
