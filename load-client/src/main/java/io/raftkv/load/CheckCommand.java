package io.raftkv.load;

import io.raftkv.history.CheckResult;
import io.raftkv.history.HistoryJson;
import io.raftkv.history.LinearizabilityChecker;
import io.raftkv.history.Operation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check FILE}: reads a history in the JSON-lines format of DESIGN.md and runs the same
 * per-key linearizability checker as the simulator. Exit codes: 0 linearizable, 1 not linearizable
 * (the offending key and operations are printed), 2 a usage error or a file that cannot be read or
 * parsed (the line is named).
 */
final class CheckCommand {
  static final String USAGE = "usage: load-client check HISTORY.jsonl";

  private CheckCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1 || args[0].startsWith("-")) {
      err.println("error: check takes exactly one history file");
      err.println(USAGE);
      return 2;
    }
    Path file = Path.of(args[0]);
    if (!Files.isReadable(file)) {
      err.println("error: cannot read history file " + file);
      return 2;
    }
    List<Operation> history;
    try {
      history = HistoryJson.read(file);
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    CheckResult result;
    try {
      result = LinearizabilityChecker.check(history);
    } catch (IllegalStateException e) {
      err.println("error: no verdict: " + e.getMessage());
      return 2;
    }
    long unknown = history.stream().filter(Operation::unknown).count();
    if (result.linearizable()) {
      out.printf(
          "linearizable: %d operations (%d with unknown outcome) in %s%n",
          history.size(), unknown, file);
      return 0;
    }
    out.printf("NOT linearizable: key %s%n%s%n", result.key(), result.explanation());
    for (Operation op : result.operations()) {
      out.println("  " + op);
    }
    return 1;
  }
}
