package io.raftkv.load;

import io.raftkv.core.RaftConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration a comparison runs: a label, a variant preset from {@link RaftConfig#PRESETS}
 * and the {@code --set} settings on top of it (every node gets the same).
 *
 * @param label the name in reports and directory names, e.g. {@code vanilla+batching}
 * @param settings {@code --set} keys and values in order, applied after the preset
 */
public record ClusterConfig(String label, String variant, Map<String, String> settings) {

  public ClusterConfig {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** Whether this configuration runs the fast path, so its clients must send updates to all. */
  public boolean fastPath() {
    return RaftConfig.of(variant, settings).nilextFastPath();
  }

  /** The settings as one {@code k=v;k=v} string, empty when there are none. */
  public String settingsText() {
    List<String> parts = new ArrayList<>();
    settings.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(";", parts);
  }

  /** The effective optimization flags of this configuration, e.g. {@code batching=true,...}. */
  public String flagsText() {
    RaftConfig c = RaftConfig.of(variant, settings);
    List<String> parts = new ArrayList<>();
    for (String flag : RaftConfig.FLAGS) {
      parts.add(flag + "=" + flagValue(c, flag));
    }
    return String.join(",", parts);
  }

  /** One configuration per variant name, labelled by it, each with {@code common} settings. */
  static List<ClusterConfig> ofVariants(List<String> variants, Map<String, String> common)
      throws UsageException {
    List<ClusterConfig> out = new ArrayList<>();
    for (String v : variants) {
      out.add(checked(new ClusterConfig(v, v, common)));
    }
    return out;
  }

  /**
   * Parses {@code --configs name:variant[:k=v;k=v],...}; {@code common} settings ({@code --set})
   * come first, a configuration's own after them.
   */
  static List<ClusterConfig> parseList(String spec, Map<String, String> common)
      throws UsageException {
    List<ClusterConfig> out = new ArrayList<>();
    for (String item : spec.split(",", -1)) {
      String[] parts = item.strip().split(":", -1);
      if (parts.length < 2 || parts.length > 3 || parts[0].isBlank()) {
        throw new UsageException(
            "bad --configs entry '"
                + item
                + "' (expected name:variant or name:variant:key=value;key=value)");
      }
      Map<String, String> settings = new LinkedHashMap<>(common);
      if (parts.length == 3 && !parts[2].isBlank()) {
        settings.putAll(parseSettings(parts[2].split(";", -1), "--configs " + parts[0]));
      }
      out.add(checked(new ClusterConfig(parts[0].strip(), parts[1].strip(), settings)));
    }
    return out;
  }

  /**
   * Parses {@code key=value} items into settings; the keys are checked against {@link
   * RaftConfig#SETTINGS} when the configuration is built ({@link RaftConfig#of}).
   */
  static Map<String, String> parseSettings(String[] items, String where) throws UsageException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new UsageException(where + ": '" + item + "' is not key=value (e.g. batching=true)");
      }
      settings.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
    }
    return settings;
  }

  /**
   * The ablation set of {@code variant}: the variant itself, and for every optimization flag of
   * {@link RaftConfig#FLAGS} the variant with that flag alone flipped (labelled {@code
   * variant+flag} when it turns the flag on, {@code variant-flag} when it turns it off).
   */
  static List<ClusterConfig> ablation(String variant, Map<String, String> common)
      throws UsageException {
    List<ClusterConfig> out = new ArrayList<>();
    out.add(checked(new ClusterConfig(variant, variant, common)));
    for (String flag : RaftConfig.FLAGS) {
      Map<String, String> probe = new LinkedHashMap<>(common);
      boolean on = flagValue(RaftConfig.of(variant, probe), flag);
      Map<String, String> settings = new LinkedHashMap<>(common);
      settings.put(flag, Boolean.toString(!on));
      out.add(checked(new ClusterConfig(variant + (on ? "-" : "+") + flag, variant, settings)));
    }
    return out;
  }

  private static boolean flagValue(RaftConfig c, String flag) {
    // The flags are boolean settings: setting one on and comparing tells its current value without
    // a switch over names that another issue might extend.
    return c.equals(c.withSetting(flag, "true"));
  }

  private static ClusterConfig checked(ClusterConfig c) throws UsageException {
    if (!RaftConfig.PRESETS.contains(c.variant())) {
      throw new UsageException(
          "unknown variant '" + c.variant() + "'; known: " + String.join(", ", RaftConfig.PRESETS));
    }
    try {
      RaftConfig.of(c.variant(), c.settings());
    } catch (IllegalArgumentException e) {
      throw new UsageException("configuration " + c.label() + ": " + e.getMessage());
    }
    if (!c.label().matches("[A-Za-z0-9._+=-]+")) {
      throw new UsageException(
          "configuration name '" + c.label() + "' may hold only letters, digits and . _ + = -");
    }
    return c;
  }
}
