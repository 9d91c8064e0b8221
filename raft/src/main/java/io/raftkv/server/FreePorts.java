package io.raftkv.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks ports for local clusters (tests, benchmarks, {@code compare}) that are free now and stay
 * free while the cluster starts. A port from the kernel's {@code bind(0)} comes from the ephemeral
 * range, where it can be taken a moment later as the local port of an outgoing connection (the
 * first nodes of a cluster connect to the later ones before those listen), and the later node then
 * fails to start with "address already in use". So ports are drawn from below the usual ephemeral
 * range (Linux: 32768 and up), which outgoing connections never use, and checked by binding.
 */
public final class FreePorts {
  /** The lowest port drawn. */
  static final int LOW = 20_000;

  /** One above the highest port drawn: the start of Linux's default ephemeral range. */
  static final int HIGH = 32_768;

  private static final int ATTEMPTS = 200;

  private FreePorts() {}

  /**
   * A port on {@code host} that nothing listened on a moment ago, below the ephemeral range when
   * one there is free (after {@value #ATTEMPTS} tries, whatever the kernel gives).
   */
  public static int pick(InetAddress host) throws IOException {
    return pick(host, LOW, HIGH);
  }

  /** As {@link #pick(InetAddress)}, drawing from {@code [low, high)}. */
  static int pick(InetAddress host, int low, int high) throws IOException {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = ThreadLocalRandom.current().nextInt(low, high);
      if (bindable(host, port)) {
        return port;
      }
    }
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    }
  }

  private static boolean bindable(InetAddress host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
