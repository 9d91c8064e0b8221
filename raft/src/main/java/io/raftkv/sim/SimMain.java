package io.raftkv.sim;

import io.raftkv.core.RaftConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs simulations from the command line and prints, per variant and scenario, how many seeds
 * passed, operations completed and events simulated, with the replay command of any failure. {@code
 * --set leaseReads=true,...} applies settings to every variant (one flag alone: {@code --variants
 * vanilla --set leaseReads=true}).
 *
 * <pre>
 * java -cp raft/target/raft.jar io.raftkv.sim.SimMain [--variants vanilla,optimized]
 *     [--set key=value,...] [--scenarios ALL] [--seeds 100] [--first-seed 1] [--nodes 3]
 * </pre>
 */
public final class SimMain {
  private SimMain() {}

  /** The parsed command line. */
  record Options(
      List<String> variants,
      Map<String, String> settings,
      List<Scenario> scenarios,
      int seeds,
      long firstSeed,
      int nodes) {

    static Options parse(String[] args) {
      List<String> variants =
          RaftConfig.PRESETS.stream()
              .filter(v -> SimSettings.unsupported(RaftConfig.preset(v)) == null)
              .toList();
      Map<String, String> settings = Map.of();
      // The fast-path scenarios only when named (or ALL): they target one variant.
      List<Scenario> scenarios =
          Stream.of(Scenario.values()).filter(sc -> !sc.fastPathOnly()).toList();
      int seeds = 100;
      long firstSeed = 1;
      int nodes = 3;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          throw new UsageException("");
        }
        if (i + 1 >= args.length) {
          throw new UsageException("missing value after " + flag);
        }
        String value = args[++i];
        try {
          switch (flag) {
            case "--variants" -> variants = List.of(value.split(","));
            case "--set" -> settings = SimSettings.parseSettings(value);
            case "--scenarios" -> scenarios = parseScenarios(value);
            case "--seeds" -> seeds = positive(flag, Integer.parseInt(value));
            case "--first-seed" -> firstSeed = Long.parseLong(value);
            case "--nodes" -> nodes = positive(flag, Integer.parseInt(value));
            default -> throw new UsageException("unknown option " + flag);
          }
        } catch (NumberFormatException e) {
          throw new UsageException(flag + " needs a number, got '" + value + "'");
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
      for (String v : variants) {
        try {
          String unsupported = SimSettings.unsupported(RaftConfig.of(v, settings));
          if (unsupported != null) {
            throw new IllegalArgumentException(v + ": " + unsupported);
          }
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
      return new Options(variants, settings, scenarios, seeds, firstSeed, nodes);
    }

    private static List<Scenario> parseScenarios(String value) {
      if (value.equalsIgnoreCase("ALL")) {
        return List.of(Scenario.values());
      }
      List<Scenario> out = new ArrayList<>();
      for (String s : value.split(",")) {
        try {
          out.add(Scenario.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new UsageException(
              "unknown scenario '" + s + "'; known: " + List.of(Scenario.values()));
        }
      }
      return out;
    }

    private static int positive(String flag, int v) {
      if (v < 1) {
        throw new UsageException(flag + " must be at least 1");
      }
      return v;
    }
  }

  /** A command-line mistake; the message says what was wrong. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE =
      "usage: SimMain [--variants vanilla,optimized] [--set key=value,...]"
          + " [--scenarios ALL|S1,S2] [--seeds 100] [--first-seed 1] [--nodes 3]";

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the simulations; returns 0 if all passed, 1 if any failed, 2 on a usage error. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (UsageException e) {
      if (!e.getMessage().isEmpty()) {
        err.println("error: " + e.getMessage());
      }
      err.println(USAGE);
      return e.getMessage().isEmpty() ? 0 : 2;
    }
    boolean allOk = true;
    out.printf(
        "%-24s %-28s %7s %7s %10s %9s %12s%n",
        "variant", "scenario", "seeds", "failed", "ops", "unknown", "events");
    for (String variant : options.variants()) {
      for (Scenario scenario : options.scenarios()) {
        int failed = 0;
        long ops = 0;
        long unknown = 0;
        long events = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < options.seeds(); i++) {
          SimResult r =
              Simulation.run(
                  SimSettings.of(
                      options.firstSeed() + i,
                      variant,
                      options.settings(),
                      options.nodes(),
                      scenario));
          ops += r.completed();
          unknown += r.unknown();
          events += r.events();
          if (!r.ok()) {
            failed++;
            failures.add(r.describe());
          }
        }
        out.printf(
            "%-24s %-28s %7d %7d %10d %9d %12d%n",
            SimSettings.label(variant, options.settings()),
            scenario,
            options.seeds(),
            failed,
            ops,
            unknown,
            events);
        failures.forEach(out::println);
        allOk &= failed == 0;
      }
    }
    return allOk ? 0 : 1;
  }
}
