package io.raftkv.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  static RunInfo info(double seconds) {
    return new RunInfo(
        3, 4, "put=50,get=50", 1, 0.5, seconds, 0, "jdk \"17\"", 2, "unknown", "2026-01-01");
  }

  static Histogram linear(long from, long to) {
    Histogram h = new Histogram(3);
    for (long v = from; v <= to; v++) {
      h.recordValue(v * 1000);
    }
    return h;
  }

  @Test
  void summaryHasOrderedPercentilesCountsThatAddUpAndValidJson() throws IOException {
    List<OpResult> results =
        List.of(
            new OpResult("put", linear(1, 1000), null, Map.of("no_quorum", 2L)),
            new OpResult("get", linear(10, 2009), linear(5, 2004), Map.of()));
    Report.write(dir, info(2.0), results);
    String json = Files.readString(dir.resolve("summary.json"));
    Object parsed = new JsonCheck(json).parse();
    assertTrue(parsed instanceof Map);
    Map<?, ?> root = (Map<?, ?>) parsed;
    Map<?, ?> total = (Map<?, ?>) root.get("total");
    assertEquals(3000.0, total.get("count"));
    assertEquals(2.0, total.get("errors"));
    assertEquals(1500.0, (Double) total.get("throughput"), 1e-6);
    Map<?, ?> ops = (Map<?, ?>) root.get("ops");
    double sum = 0;
    for (String op : List.of("put", "get")) {
      Map<?, ?> o = (Map<?, ?>) ops.get(op);
      sum += (Double) o.get("count");
      Map<?, ?> lat = (Map<?, ?>) o.get("latency_us");
      double prev = 0;
      for (String p : List.of("p50", "p90", "p99", "p99_9", "max")) {
        double v = (Double) lat.get(p);
        assertTrue(v >= prev, op + " " + p + " out of order");
        prev = v;
      }
    }
    assertEquals(3000.0, sum);
    Map<?, ?> put = (Map<?, ?>) ops.get("put");
    assertEquals(2.0, ((Map<?, ?>) put.get("errors")).get("no_quorum"));
    assertEquals(500.0, (Double) ((Map<?, ?>) put.get("latency_us")).get("p50"), 1.0);
    assertNotNull(((Map<?, ?>) ops.get("get")).get("uncorrected_latency_us"));
    assertEquals(3.0, ((Map<?, ?>) root.get("run")).get("cluster_size"));
    assertEquals("jdk \"17\"", ((Map<?, ?>) root.get("run")).get("jdk"));

    for (String f : List.of("put.hgrm", "get.hgrm", "get-uncorrected.hgrm")) {
      String hgrm = Files.readString(dir.resolve(f));
      assertTrue(hgrm.contains("#[Mean"), f);
      assertTrue(hgrm.contains("Value     Percentile TotalCount"), f);
    }
    assertTrue(Report.console(info(2.0), results).contains("put"));
  }

  @Test
  void intervalLogsReadBack() throws IOException {
    Path file = dir.resolve("put.hlog");
    OpStatsLogFixture.write(file);
    HistogramLogReader reader = new HistogramLogReader(file.toFile());
    List<Histogram> read = new ArrayList<>();
    while (reader.hasNext()) {
      read.add((Histogram) reader.nextIntervalHistogram());
    }
    reader.close();
    assertEquals(2, read.size());
    assertEquals(100, read.get(0).getTotalCount());
    assertEquals(50, read.get(1).getTotalCount());
  }

  /** Writes two intervals through {@link OpStats}, as the runner does. */
  static final class OpStatsLogFixture {
    static void write(Path file) throws IOException {
      HistogramLogWriter w = new HistogramLogWriter(file.toFile());
      long now = System.currentTimeMillis();
      w.outputLogFormatVersion();
      w.outputStartTime(now);
      w.setBaseTime(now);
      w.outputLegend();
      OpStats s = new OpStats(Op.PUT, false, w, null);
      for (int i = 0; i < 100; i++) {
        s.recordSuccess(1_000_000, 1000 + i);
      }
      s.rollInterval();
      for (int i = 0; i < 50; i++) {
        s.recordSuccess(1_000_000, 5000 + i);
      }
      s.rollInterval();
      w.close();
      assertEquals(150, s.result().count());
    }
  }

  /** A tiny recursive-descent JSON parser: objects to maps, numbers to doubles. */
  /** A strict little JSON parser: objects, arrays, strings, numbers (as Double) and null. */
  static final class JsonCheck {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private final String s;
    private int i;

    JsonCheck(String s) {
      this.s = s;
    }

    Object parse() {
      Object v = value();
      ws();
      if (i != s.length()) {
        throw new IllegalArgumentException("trailing text at " + i);
      }
      return v;
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private void expect(char c) {
      ws();
      if (i >= s.length() || s.charAt(i) != c) {
        throw new IllegalArgumentException("expected " + c + " at " + i);
      }
      i++;
    }

    private Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          ws();
          String k = string();
          expect(':');
          if (m.put(k, value()) != null) {
            throw new IllegalArgumentException("duplicate key " + k);
          }
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return m;
          }
        }
      } else if (c == '[') {
        List<Object> list = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return list;
        }
        while (true) {
          list.add(value());
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return list;
          }
        }
      } else if (c == '"') {
        return string();
      } else if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      Matcher m = NUMBER.matcher(s);
      m.region(i, s.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException("bad value at " + i);
      }
      i = m.end();
      return Double.parseDouble(m.group());
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (s.charAt(i) != '"') {
        char c = s.charAt(i++);
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case 'u' -> {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            }
            default -> sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
      i++;
      return sb.toString();
    }
  }
}
