package io.raftkv.load;

import java.util.Locale;

/** The operation types of a workload; each has its own latency histogram and error counts. */
public enum Op {
  PUT("put"),
  GET("get"),
  CAS("cas"),
  MULTI_PUT("multiPut");

  private final String label;

  Op(String label) {
    this.label = label;
  }

  /** The name used on the command line, in file names and in {@code summary.json}. */
  public String label() {
    return label;
  }

  /** The operation called {@code name} (case-insensitive), or {@code null}. */
  public static Op byLabel(String name) {
    for (Op op : values()) {
      if (op.label.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return op;
      }
    }
    return null;
  }
}
