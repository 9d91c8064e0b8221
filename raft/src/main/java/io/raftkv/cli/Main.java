package io.raftkv.cli;

import io.raftkv.server.ServerMain;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code java -jar raft/target/raft.jar COMMAND ...}: {@code server} runs a
 * node; {@code put}, {@code get}, {@code delete}, {@code cas}, {@code leader} and {@code status}
 * talk to a cluster. Exit codes: 0 success, 1 the operation failed, 2 a usage error.
 */
public final class Main {
  static final List<String> CLIENT_COMMANDS =
      List.of("put", "get", "delete", "cas", "leader", "status");

  private Main() {}

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar raft.jar COMMAND [options]",
          "  server --id N --cluster 1=HOST:PORT,... --data DIR [--variant vanilla]"
              + " [--durability fsync|nosync|memory]",
          "  put KEY VALUE | get KEY | delete KEY | cas KEY EXPECTED NEW | leader | status"
              + "   (each with --cluster 1=HOST:PORT,...)");

  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.err.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (command.equals("server")) {
      return ServerMain.run(rest);
    }
    if (CLIENT_COMMANDS.contains(command)) {
      return ClientCommands.run(command, rest, System.out, System.err);
    }
    System.err.println("error: unknown command '" + command + "'");
    System.err.println(USAGE);
    return 2;
  }
}
