package io.raftkv.transport.netty;

import io.raftkv.server.FreePorts;
import io.raftkv.wire.Frame;
import io.raftkv.wire.FrameSplitter;
import io.raftkv.wire.WireCodec;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A blocking test client over a plain {@link Socket}: frames are encoded with {@link WireCodec} and
 * cut with {@link FrameSplitter}. Every read is bounded by a socket timeout.
 */
public final class RawClient implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 5000;

  private final Socket socket;
  private final InputStream in;
  private final FrameSplitter splitter = new FrameSplitter();
  private final ArrayDeque<ByteBuffer> bodies = new ArrayDeque<>();

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects without sending anything. */
  public static RawClient connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(address, TIMEOUT_MILLIS);
    s.setSoTimeout(TIMEOUT_MILLIS);
    s.setTcpNoDelay(true);
    return new RawClient(s);
  }

  /** Connects and sends a client handshake. */
  public static RawClient client(InetSocketAddress address) throws IOException {
    RawClient c = connect(address);
    c.send(Frame.Handshake.client());
    return c;
  }

  public void send(Frame frame) throws IOException {
    ByteBuffer b = WireCodec.encode(frame);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    sendRaw(bytes);
  }

  public void sendRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** The next frame; throws {@link SocketTimeoutException} after a few seconds. */
  public Frame receive() throws IOException {
    byte[] buf = new byte[4096];
    while (bodies.isEmpty()) {
      int n = in.read(buf);
      if (n < 0) {
        throw new EOFException("connection closed by the node");
      }
      bodies.addAll(splitter.feed(ByteBuffer.wrap(buf, 0, n)));
    }
    return WireCodec.decodeBody(bodies.poll());
  }

  /** The next frame, which must be of {@code type}. */
  public <T extends Frame> T receive(Class<T> type) throws IOException {
    Frame f = receive();
    if (!type.isInstance(f)) {
      throw new AssertionError("expected " + type.getSimpleName() + ", got " + f);
    }
    return type.cast(f);
  }

  /**
   * Whether the node closes the connection within {@code timeout}: reads (and discards) until end
   * of stream or a reset.
   */
  public boolean awaitClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[4096];
    while (System.nanoTime() < deadline) {
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException e) {
        return true; // reset by the node
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A port on 127.0.0.1 that was free a moment ago ({@link FreePorts}). */
  public static int freePort() throws IOException {
    return FreePorts.pick(loopback(0).getAddress());
  }

  /** {@code 127.0.0.1:port}. */
  public static InetSocketAddress loopback(int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** 127.0.0.1 with a port that was free a moment ago. */
  public static InetSocketAddress freeLoopbackAddress() throws IOException {
    return loopback(freePort());
  }

  /** A deadline helper: polls {@code condition} until it holds or {@code timeout} passes. */
  public static boolean await(Duration timeout, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
