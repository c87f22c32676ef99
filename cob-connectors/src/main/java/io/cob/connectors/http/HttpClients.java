package io.cob.connectors.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link HttpClient} per TLS and connect-timeout configuration, kept for the connector's life,
 * so connections are pooled across jobs. Redirects are not followed by the client: the connector
 * follows them itself, checking each target ({@link OutboundPolicy}). Thread-safe.
 */
final class HttpClients implements AutoCloseable {
  private record Key(Duration connectTimeout, TlsSettings tls) {}

  private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();

  HttpClient client(Duration connectTimeout, TlsSettings tls) {
    return clients.computeIfAbsent(new Key(connectTimeout, tls), HttpClients::build);
  }

  private static HttpClient build(Key key) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(key.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!key.tls().isDefault()) {
      b.sslContext(key.tls().sslContext());
    }
    return b.build();
  }

  @Override
  public void close() {
    clients.values().forEach(HttpClient::shutdownNow);
    clients.clear();
  }
}
