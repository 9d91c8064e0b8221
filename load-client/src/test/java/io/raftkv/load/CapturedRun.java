package io.raftkv.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the load client's command line in this JVM, its output (stdout and stderr) kept. */
record CapturedRun(int exitCode, String output) {
  static CapturedRun of(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = LoadMain.run(args, ps, ps);
    return new CapturedRun(code, bytes.toString(StandardCharsets.UTF_8));
  }
}
