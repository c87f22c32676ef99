package io.cob.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy a test can use to part a node from the broker without touching anyone else's
 * connections to the shared broker, in two ways: {@link #cut()} drops every connection through it
 * and every new one at once (both ends see the connection close, as when a router resets it);
 * {@link #silence()} lets nothing through in either direction but closes nothing (as when packets
 * are lost: each end finds out by its own heartbeat, and a new connection hangs in its handshake).
 * {@link #restore()} ends either; what was held back by a silence then flows on, over the
 * connections neither end has given up meanwhile.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Duration PAUSE = Duration.ofMillis(10);

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean silent;

  private TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
  }

  public static TcpProxy to(String host, int port) throws IOException {
    return new TcpProxy(host, port);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Drops every connection, and every new one until {@link #restore()}. */
  public void cut() {
    cut = true;
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Lets nothing through, either way, until {@link #restore()}; closes nothing. */
  public void silence() {
    silent = true;
  }

  public void restore() {
    cut = false;
    silent = false;
  }

  @Override
  public void close() {
    cut();
    closeQuietly(server);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        sockets.add(client);
        Thread.ofVirtual().start(() -> connect(client));
      } catch (IOException e) {
        // server closed
      }
    }
  }

  /** Connects a client upstream, once the silence (if any) is over. */
  private void connect(Socket client) {
    awaitVoice();
    Socket upstream = new Socket();
    try {
      upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
    } catch (IOException e) {
      closeQuietly(client); // the client sees its connection drop
      return;
    }
    sockets.add(upstream);
    if (cut || client.isClosed()) { // cut while this one was being connected
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    Thread.ofVirtual().start(() -> pump(client, upstream));
    Thread.ofVirtual().start(() -> pump(upstream, client));
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitVoice();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private void awaitVoice() {
    while (silent && !cut) {
      LockSupport.parkNanos(PAUSE.toNanos());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
