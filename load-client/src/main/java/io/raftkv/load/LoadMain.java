package io.raftkv.load;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar load-client.jar run --cluster ... [options]}, {@code compare [options]}, {@code
 * failover [options]} and {@code check HISTORY.jsonl}. Exit codes: 0 success, 1 the run failed (or
 * the history is not linearizable), 2 usage error.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) {
    // The plots are drawn without a display.
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("error: missing command (expected run, compare, failover or check)");
      err.println(LoadOptions.USAGE);
      return 2;
    }
    if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.println(LoadOptions.USAGE);
      out.println(CompareCommand.USAGE);
      out.println(FailoverCommand.USAGE);
      out.println(CheckCommand.USAGE);
      return 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "check":
        return CheckCommand.run(rest, out, err);
      case "compare":
        return runCluster(
            "compare",
            CompareCommand.USAGE,
            (a, o) -> CompareCommand.parse(a, o)::run,
            rest,
            out,
            err);
      case "failover":
        return runCluster(
            "failover",
            FailoverCommand.USAGE,
            (a, o) -> FailoverCommand.parse(a, o)::run,
            rest,
            out,
            err);
      default:
        break;
    }
    if (!args[0].equals("run")) {
      err.println(
          "error: unknown command: " + args[0] + " (expected run, compare, failover or check)");
      err.println(LoadOptions.USAGE);
      return 2;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(Arrays.copyOfRange(args, 1, args.length));
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(LoadOptions.USAGE);
      return 2;
    }
    try {
      new LoadRunner(options, out).run();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("error: load run failed: " + e);
      return 1;
    }
  }

  /** A parsed command that starts local clusters. */
  private interface ClusterCommand {
    Object run() throws Exception;
  }

  /** Parses the arguments of a {@link ClusterCommand}. */
  private interface ClusterCommandParser {
    ClusterCommand parse(String[] args, PrintStream out) throws UsageException;
  }

  private static int runCluster(
      String name,
      String usage,
      ClusterCommandParser parser,
      String[] args,
      PrintStream out,
      PrintStream err) {
    ClusterCommand command;
    try {
      command = parser.parse(args, out);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(usage);
      return 2;
    }
    try {
      command.run();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    } catch (Exception e) {
      err.println("error: " + name + " failed: " + e);
      return 1;
    }
  }
}
