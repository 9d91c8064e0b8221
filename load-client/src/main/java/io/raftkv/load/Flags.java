package io.raftkv.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of every load-client command: {@code --flag value} or {@code --flag=value},
 * nothing else. Split once here so that every command reports bad arguments the same way.
 */
final class Flags {
  /** One flag and its value, in command-line order. */
  record Flag(String name, String value) {}

  private Flags() {}

  /** Splits {@code args} into flags with values. */
  static List<Flag> split(String[] args) throws UsageException {
    List<Flag> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) {
        throw new UsageException("unexpected argument: " + flag);
      }
      int eq = flag.indexOf('=');
      if (eq > 0) {
        flags.add(new Flag(flag.substring(0, eq), flag.substring(eq + 1)));
      } else {
        if (i + 1 >= args.length) {
          throw new UsageException("missing value for " + flag);
        }
        flags.add(new Flag(flag, args[++i]));
      }
    }
    return flags;
  }

  /** The flags back as arguments, {@code --name value} each. */
  static String[] join(List<Flag> flags) {
    List<String> args = new ArrayList<>();
    for (Flag f : flags) {
      args.add(f.name());
      args.add(f.value());
    }
    return args.toArray(new String[0]);
  }
}
