package io.cob.connectors.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A real SMTP peer on loopback that answers every {@code RCPT TO} with a reply the test chooses,
 * for the rejections GreenMail does not make (a permanent 550, a deferring 451). It speaks just
 * enough of RFC 5321 for a client to get that far.
 */
final class ScriptedSmtpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final String rcptReply;
  private final Thread acceptor;

  ScriptedSmtpServer(String rcptReply) throws IOException {
    this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.rcptReply = rcptReply;
    this.acceptor = Thread.ofVirtual().start(this::acceptAll);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void acceptAll() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        converse(s);
      } catch (IOException e) {
        // Closed by the test, or the client went away: wait for the next one.
      }
    }
  }

  private void converse(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII);
    reply(out, "220 scripted ESMTP");
    for (String line; (line = in.readLine()) != null; ) {
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO", "HELO", "MAIL", "RSET", "NOOP" -> reply(out, "250 ok");
        case "RCPT" -> reply(out, rcptReply);
        case "QUIT" -> {
          reply(out, "221 bye");
          return;
        }
        default -> reply(out, "502 5.5.1 not implemented");
      }
    }
  }

  private static void reply(PrintWriter out, String line) {
    out.print(line + "\r\n");
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    acceptor.interrupt();
  }
}
