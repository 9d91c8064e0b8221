package io.raftkv.load;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar load-client.jar run --cluster ... [options]} and {@code check HISTORY.jsonl}.
 * Exit codes: 0 success, 1 the run failed (or the history is not linearizable), 2 usage error.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("error: missing command (expected run or check)");
      err.println(LoadOptions.USAGE);
      return 2;
    }
    if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.println(LoadOptions.USAGE);
      return 0;
    }
    if (args[0].equals("check")) {
      return CheckCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (!args[0].equals("run")) {
      err.println("error: unknown command: " + args[0] + " (expected run or check)");
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
}
