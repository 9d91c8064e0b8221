package io.raftkv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void picksABindablePortBelowTheEphemeralRange() throws Exception {
    InetAddress host = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 20; i++) {
      int port = FreePorts.pick(host);
      assertTrue(port >= FreePorts.LOW && port < FreePorts.HIGH, "port " + port);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(host, port));
      }
    }
  }

  @Test
  void skipsAPortSomeoneListensOn() throws Exception {
    InetAddress host = InetAddress.getLoopbackAddress();
    int port = FreePorts.pick(host, FreePorts.LOW, FreePorts.HIGH - 1);
    while (!free(host, port + 1)) {
      port = FreePorts.pick(host, FreePorts.LOW, FreePorts.HIGH - 1);
    }
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(host, port));
      // Of the two ports drawn from, one is taken: every pick is the other.
      for (int i = 0; i < 20; i++) {
        assertEquals(port + 1, FreePorts.pick(host, port, port + 2));
      }
    }
  }

  private static boolean free(InetAddress host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
