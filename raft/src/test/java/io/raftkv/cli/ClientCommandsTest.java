package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.FakeNode;
import io.raftkv.wire.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientCommandsTest {
  private final List<FakeNode> nodes = new ArrayList<>();
  private String out;
  private String err;

  @AfterEach
  void closeNodes() throws IOException {
    for (FakeNode n : nodes) {
      n.close();
    }
  }

  private FakeNode node(FakeNode.Script s) throws IOException {
    FakeNode n = new FakeNode(s);
    nodes.add(n);
    return n;
  }

  private int run(String command, String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code =
        ClientCommands.run(
            command,
            args,
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  private void assertUsage(String expectedInMessage, String command, String... args) {
    assertEquals(ClientCommands.USAGE, run(command, args), err);
    assertTrue(err.contains(expectedInMessage), err);
    assertEquals("", out);
  }

  @Test
  void usageErrorsExitTwoAndNameTheProblem() {
    String c = "1=127.0.0.1:1";
    assertUsage("unknown command 'frob'", "frob", "--cluster", c);
    assertUsage("unknown flag --frob for put", "put", "k", "v", "--frob", "--cluster", c);
    assertUsage("missing VALUE", "put", "k", "--cluster", c);
    assertUsage("missing KEY", "get", "--cluster", c);
    assertUsage("missing NEW", "cas", "k", "--absent", "--cluster", c);
    assertUsage("unexpected argument 'extra'", "delete", "k", "extra", "--cluster", c);
    assertUsage("missing --cluster", "get", "k");
    assertUsage("flag --cluster needs a value", "get", "k", "--cluster");
    assertUsage("--cluster: bad cluster entry 'x'", "get", "k", "--cluster", "x");
    assertUsage("--timeout: 'soon'", "get", "k", "--cluster", c, "--timeout", "soon");
    assertUsage("--timeout: '0s' must be a positive", "get", "k", "--cluster", c, "--timeout=0s");
    assertUsage("--node is only for status", "get", "k", "--node", "1", "--cluster", c);
    assertUsage("--node 2 is not in --cluster", "status", "--node", "2", "--cluster", c);
    assertUsage("--absent is only for cas", "put", "k", "v", "--absent", "--cluster", c);
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), ClientCommands.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(5), ClientCommands.parseDuration("5s"));
    assertEquals(Duration.ofSeconds(7), ClientCommands.parseDuration("7"));
    assertEquals(Duration.ofMinutes(2), ClientCommands.parseDuration("2m"));
  }

  @Test
  void keyValueCommandsAgainstALeader() throws IOException {
    FakeNode leader = node(FakeNode.leader(FakeNode.store()));
    FakeNode follower = node(FakeNode.follower(2, leader.address()));
    String c = "1=" + follower.address() + ",2=" + leader.address();

    assertEquals(ClientCommands.NO, run("get", "k", "--cluster", c));
    assertEquals("(absent)\n", out);
    assertEquals(0, run("put", "k", "hello world", "--cluster", c, "--timeout", "5s"));
    assertEquals("OK\n", out);
    assertEquals(0, run("get", "k", "--cluster=" + c));
    assertEquals("hello world\n", out);
    assertEquals(ClientCommands.NO, run("cas", "k", "nope", "new", "--cluster", c));
    assertEquals("not swapped (current: hello world)\n", out);
    assertEquals(0, run("cas", "k", "hello world", "new", "--cluster", c));
    assertEquals("swapped\n", out);
    assertEquals(0, run("delete", "k", "--cluster", c));
    assertEquals("OK\n", out);
    assertEquals(ClientCommands.NO, run("cas", "k", "new", "x", "--cluster", c));
    assertEquals("not swapped (current: (absent))\n", out);
    assertEquals(0, run("cas", "k", "--absent", "x", "--cluster", c));
    assertEquals("swapped\n", out);
    assertEquals(0, run("get", "--cluster", c, "--", "k"));
    assertEquals("x\n", out);
    assertEquals("", err);
  }

  @Test
  void leaderAndStatus() throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("role", "LEADER");
    fields.put("term", "7");
    fields.put("commitIndex", "42");
    FakeNode n1 =
        node(
            (n, request, count) ->
                request instanceof Frame.StatusQuery q
                    ? new FakeNode.Reply(new Frame.StatusInfo(q.requestId(), fields))
                    : new FakeNode.Reply(
                        new Frame.LeaderInfo(FakeNode.requestId(request), 1, "", 7)));
    String c = "1=" + n1.address() + ",2=" + closedPort();

    assertEquals(0, run("leader", "--cluster", c));
    assertEquals("leader 1 at " + n1.address() + " (term 7)\n", out);

    assertEquals(0, run("status", "--node", "1", "--cluster", c));
    assertEquals("role         LEADER\nterm         7\ncommitIndex  42\n", out);

    assertEquals(ClientCommands.FAILED, run("status", "--cluster", c, "--timeout", "500ms"));
    assertTrue(out.startsWith("node 1 (" + n1.address() + ")\n  role         LEADER\n"), out);
    assertTrue(out.contains("node 2 (127.0.0.1:"), out);
    assertTrue(out.endsWith("): unreachable\n"), out);
    assertTrue(err.contains("status of node 2"), err);
  }

  @Test
  void noLeaderReachableExitsOne() throws IOException {
    String c = "1=" + closedPort() + ",2=" + closedPort();

    assertEquals(ClientCommands.FAILED, run("put", "k", "v", "--cluster", c, "--timeout", "500ms"));

    assertEquals("", out);
    assertTrue(err.startsWith("error: put \"k\": no leader reachable"), err);
    assertTrue(err.contains("tried 2 nodes"), err);
  }

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }
}
