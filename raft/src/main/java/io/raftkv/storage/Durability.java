package io.raftkv.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How durable a {@link LogStore} makes what it is given before {@link LogStore#persist} returns.
 * Every benchmark and result states its mode (DESIGN.md "Storage").
 */
public enum Durability {
  /** Written and fsynced: nothing acknowledged is lost on power loss. The default. */
  FSYNC,
  /** Written to the files but not fsynced: survives a process crash, not a power cut. */
  NOSYNC,
  /** No files at all: for measuring the protocol alone; a restart loses everything. */
  MEMORY;

  /**
   * The name used on command lines and in results: {@code fsync}, {@code nosync}, {@code memory}.
   */
  public String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a mode by its {@link #flagName()}, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the valid modes if {@code name} is none of them
   */
  public static Durability parse(String name) {
    String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (Durability d : values()) {
      if (d.flagName().equals(wanted)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown durability mode '"
            + name
            + "'; valid modes are: "
            + Arrays.stream(values()).map(Durability::flagName).collect(Collectors.joining(", ")));
  }
}
