package io.raftkv.it;

import io.raftkv.wire.Frame;
import io.raftkv.wire.FrameSplitter;
import io.raftkv.wire.WireCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A blocking, single-connection client of the wire protocol for real-process tests: it speaks the
 * frames directly, so a test can ask a node who leads or send raw bytes without depending on the
 * client library. Every read is bounded by the socket timeout.
 */
final class WireProbe implements AutoCloseable {
  private final Socket socket;
  private final FrameSplitter splitter = new FrameSplitter();
  private final Deque<ByteBuffer> bodies = new ArrayDeque<>();
  private final byte[] buffer = new byte[64 * 1024];

  WireProbe(String host, int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
  }

  /** Opens a client connection and sends the client handshake. */
  static WireProbe client(String host, int port, int timeoutMillis) throws IOException {
    WireProbe p = new WireProbe(host, port, timeoutMillis);
    p.send(Frame.Handshake.client());
    return p;
  }

  void send(Frame frame) throws IOException {
    ByteBuffer b = WireCodec.encode(frame);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    sendRaw(bytes);
  }

  void sendRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** The next frame from the server; throws on timeout or a closed connection. */
  Frame receive() throws IOException {
    InputStream in = socket.getInputStream();
    while (bodies.isEmpty()) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      bodies.addAll(splitter.feed(ByteBuffer.wrap(buffer, 0, n)));
    }
    return WireCodec.decodeBody(bodies.poll());
  }

  /** Whether the server has closed the connection (reads until end of stream or timeout). */
  boolean closedByServer() {
    try {
      InputStream in = socket.getInputStream();
      while (in.read(buffer) >= 0) {
        // discard whatever the server still sends before it closes
      }
      return true;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
