package io.raftkv.client;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvReply;
import io.raftkv.kv.KvRequest;
import io.raftkv.wire.Frame;
import io.raftkv.wire.WireCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable stand-in for a raftkv node, for client tests: a plain {@link ServerSocket} on
 * 127.0.0.1 with one thread per connection, all stopped by {@link #close()}. It checks the client
 * handshake, records every request, and answers as its {@link Script} says.
 */
public final class FakeNode implements AutoCloseable {
  /** What to do with one request; {@code n} is how many requests this node had seen before. */
  public interface Script {
    Action onRequest(FakeNode node, Frame request, int n);
  }

  /** The node's reaction to a request. */
  public sealed interface Action permits Reply, Silent, Close, Raw {}

  /** Sends these frames. */
  public record Reply(List<Frame> frames) implements Action {
    public Reply(Frame... frames) {
      this(List.of(frames));
    }
  }

  /** Sends nothing. */
  public record Silent() implements Action {}

  /** Closes the connection without answering. */
  public record Close() implements Action {}

  /** Sends these bytes as they are. */
  // Test helper; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  public record Raw(byte[] bytes) implements Action {}

  private final ServerSocket server;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Frame> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionsClosed = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger batches = new AtomicInteger();
  private volatile Script script;

  public FakeNode(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fake-node-accept-" + server.getLocalPort());
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  public void script(Script s) {
    this.script = s;
  }

  /** Every request received, in order; the requests of a batch one by one. */
  public List<Frame> requests() {
    return List.copyOf(requests);
  }

  /** The decoded key-value requests received, in order. */
  public List<KvRequest> kvRequests() {
    List<KvRequest> out = new ArrayList<>();
    for (Frame f : requests) {
      if (f instanceof Frame.ClientRequest cr) {
        out.add(KvCodec.decode(cr.payload()));
      }
    }
    return out;
  }

  /** Waits until {@code n} connections have ended (bounded); whether they did. */
  public boolean awaitConnectionsClosed(int n, long timeout, TimeUnit unit)
      throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    synchronized (connectionsClosed) {
      while (connectionsClosed.get() < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(connectionsClosed, left);
      }
      return true;
    }
  }

  public int handshakes() {
    return handshakes.get();
  }

  /**
   * How many {@link Frame.NilextBatch} frames arrived (their requests are in {@link #requests}).
   */
  public int batches() {
    return batches.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        Thread t = new Thread(() -> serve(s), "fake-node-conn-" + server.getLocalPort());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      Frame first = read(in);
      if (!(first instanceof Frame.Handshake h) || h.kind() != Frame.Handshake.Kind.CLIENT) {
        throw new IllegalStateException("expected a client handshake, got " + first);
      }
      handshakes.incrementAndGet();
      while (true) {
        Frame received = read(in);
        List<Frame> unpacked = List.of(received);
        if (received instanceof Frame.NilextBatch b) {
          // Scripts see each update of a batch as if it had come alone.
          batches.incrementAndGet();
          unpacked = List.copyOf(b.requests());
        }
        for (Frame request : unpacked) {
          if (!handle(request, out)) {
            return;
          }
        }
      }
    } catch (IOException e) {
      // EOF or closed by close(): the connection ends.
    } finally {
      synchronized (connectionsClosed) {
        connectionsClosed.incrementAndGet();
        connectionsClosed.notifyAll();
      }
    }
  }

  /** Records {@code request} and acts as the script says; false when the connection must close. */
  private boolean handle(Frame request, OutputStream out) throws IOException {
    int n = requests.size();
    requests.add(request);
    Action a = script.onRequest(this, request, n);
    if (a instanceof Reply r) {
      for (Frame f : r.frames()) {
        ByteBuffer b = WireCodec.encode(f);
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      }
      out.flush();
    } else if (a instanceof Raw r) {
      out.write(r.bytes());
      out.flush();
    } else if (a instanceof Close) {
      return false;
    }
    return true;
  }

  private static Frame read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 1 || length > WireCodec.DEFAULT_MAX_FRAME_BYTES) {
      throw new EOFException("bad length " + length);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return WireCodec.decodeBody(ByteBuffer.wrap(body));
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ---- scripts ----

  /** The request id of any client-to-node frame. */
  public static long requestId(Frame f) {
    if (f instanceof Frame.ClientRequest r) {
      return r.requestId();
    } else if (f instanceof Frame.LeaderQuery r) {
      return r.requestId();
    } else if (f instanceof Frame.StatusQuery r) {
      return r.requestId();
    }
    throw new IllegalArgumentException("not a request: " + f);
  }

  /** Answers every request as a leader would, over {@code store}. */
  public static Script leader(Map<Bytes, Bytes> store) {
    return (node, request, n) -> new Reply(answer(store, request));
  }

  /** A new empty store for {@link #leader}. */
  public static Map<Bytes, Bytes> store() {
    return new ConcurrentHashMap<>();
  }

  /** Answers key-value requests with NotLeader naming {@code leaderId} at {@code address}. */
  public static Script follower(int leaderId, String address) {
    return (node, request, n) ->
        new Reply(new Frame.NotLeader(requestId(request), leaderId, address));
  }

  /** Never answers. */
  public static Script silent() {
    return (node, request, n) -> new Silent();
  }

  /** The leader's answer to {@code request} over {@code store}. */
  public static Frame answer(Map<Bytes, Bytes> store, Frame request) {
    if (request instanceof Frame.ClientRequest cr) {
      KvRequest r = KvCodec.decode(cr.payload());
      return new Frame.ClientReply(cr.requestId(), KvCodec.encodeReply(apply(store, r.command())));
    } else if (request instanceof Frame.LeaderQuery q) {
      return new Frame.LeaderInfo(q.requestId(), 1, "", 3);
    } else if (request instanceof Frame.StatusQuery q) {
      return new Frame.StatusInfo(q.requestId(), Map.of("role", "LEADER"));
    }
    throw new IllegalArgumentException("not a request: " + request);
  }

  private static synchronized KvReply apply(Map<Bytes, Bytes> store, KvCommand c) {
    if (c instanceof KvCommand.Put p) {
      store.put(p.key(), p.value());
      return new KvReply.Ack();
    } else if (c instanceof KvCommand.Delete d) {
      store.remove(d.key());
      return new KvReply.Ack();
    } else if (c instanceof KvCommand.Get g) {
      return new KvReply.Value(store.get(g.key()));
    } else if (c instanceof KvCommand.Cas cas) {
      Bytes current = store.get(cas.key());
      if (Objects.equals(current, cas.expected())) {
        store.put(cas.key(), cas.value());
        return new KvReply.CasResult(true, cas.value());
      }
      return new KvReply.CasResult(false, current);
    }
    throw new IllegalArgumentException("unsupported in the fake: " + c);
  }
}
