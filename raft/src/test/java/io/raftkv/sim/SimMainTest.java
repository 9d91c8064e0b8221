package io.raftkv.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return SimMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void runsTheRequestedSeedsAndPrintsOneRowPerScenario() {
    assertEquals(0, run("--variants", "vanilla", "--seeds", "2", "--scenarios", "STEADY,LOSSY"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("STEADY"), text);
    assertTrue(text.contains("LOSSY"), text);
    assertTrue(text.lines().count() == 3, text);
  }

  @Test
  void setAppliesSettingsToEveryVariantAndNamesThemInTheRow() {
    assertEquals(
        0,
        run(
            "--variants",
            "vanilla",
            "--set",
            "leaseReads=true",
            "--seeds",
            "1",
            "--scenarios",
            "STEADY"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("vanilla+leaseReads"), text);
    assertEquals(2, run("--set", "turbo=true"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown setting 'turbo'"));
    assertEquals(2, run("--set", "leaseReads"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not key=value"));
  }

  @Test
  void theFastPathRunsInItsOwnScenariosToo() {
    assertEquals(
        0,
        run(
            "--variants",
            "fastpath",
            "--seeds",
            "1",
            "--scenarios",
            "STEADY,FAST_PATH_LEADER_CRASH"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("fastpath"), text);
    assertTrue(text.contains("FAST_PATH_LEADER_CRASH"), text);
    assertTrue(text.lines().count() == 3, text);
  }

  @Test
  void badFlagsExitWithTwoAndSayWhy() {
    assertEquals(2, run("--seeds", "many"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--seeds needs a number"));
    assertEquals(2, run("--scenarios", "EARTHQUAKE"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown scenario 'EARTHQUAKE'"));
    assertEquals(2, run("--variants", "turbo"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown variant 'turbo'"));
    assertEquals(2, run("--nodes"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing value after --nodes"));
  }
}
