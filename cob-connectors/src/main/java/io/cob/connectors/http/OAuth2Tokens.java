package io.cob.connectors.http;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.http.Authentication.ClientCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens of the OAuth2 client-credentials grant, fetched from the token endpoint and cached
 * per (token URL, client id, scope, audience) until shortly before they expire ({@code expires_in}
 * less a tenth of it, at most a minute; a token without {@code expires_in} is kept until a call is
 * refused with 401). One fetch per key at a time: concurrent jobs wait for it rather than each
 * fetching. Thread-safe.
 */
final class OAuth2Tokens {
  private static final Logger LOG = LoggerFactory.getLogger(OAuth2Tokens.class);
  private static final Duration MAX_EARLY_REFRESH = Duration.ofMinutes(1);

  private record Key(URI tokenUrl, String clientId, String scope, String audience) {}

  private record Token(String value, Instant refreshAt) {}

  private final Map<Key, Token> cache = new ConcurrentHashMap<>();
  private final Map<Key, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Clock clock;

  OAuth2Tokens(Clock clock) {
    this.clock = clock;
  }

  /** A token for these credentials: the cached one while it is fresh, else a new one. */
  String token(ClientCredentials cc, HttpClient client, Duration timeout, OutboundPolicy policy) {
    Key key = key(cc);
    Token t = cache.get(key);
    if (fresh(t)) {
      return t.value();
    }
    // A lock rather than synchronized: jobs run on virtual threads, which a monitor would pin.
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      t = cache.get(key);
      if (!fresh(t)) {
        t = fetch(cc, client, timeout, policy);
        cache.put(key, t);
      }
      return t.value();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code value} (the API refused it), unless another call has replaced it already. */
  void refused(ClientCredentials cc, String value) {
    cache.computeIfPresent(key(cc), (k, t) -> t.value().equals(value) ? null : t);
  }

  private boolean fresh(Token t) {
    return t != null && (t.refreshAt() == null || clock.instant().isBefore(t.refreshAt()));
  }

  private static Key key(ClientCredentials cc) {
    return new Key(cc.tokenUrl(), cc.clientId(), cc.scope(), cc.audience());
  }

  private Token fetch(
      ClientCredentials cc, HttpClient client, Duration timeout, OutboundPolicy policy) {
    Map<String, Object> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (cc.scope() != null) {
      form.put("scope", cc.scope());
    }
    if (cc.audience() != null) {
      form.put("audience", cc.audience());
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(cc.tokenUrl())
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("User-Agent", HttpConnector.USER_AGENT);
    if (cc.secretInBody()) {
      form.put("client_id", cc.clientId());
      form.put("client_secret", cc.clientSecret());
    } else {
      // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined.
      String pair =
          RequestBody.formEncode(cc.clientId()) + ":" + RequestBody.formEncode(cc.clientSecret());
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    b.POST(HttpRequest.BodyPublishers.ofString(RequestBody.form(form, "token request")));
    Instant asked = clock.instant();
    HttpResponse<byte[]> r;
    var addresses = policy.resolve(cc.tokenUrl(), "setting 'tokenUrl'");
    try (AddressPins.Held pin = AddressPins.pin(cc.tokenUrl().getHost(), addresses)) {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw ConnectorException.transientFailure(
          "token endpoint " + cc.tokenUrl() + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ConnectorException.transientFailure("interrupted while fetching a token", e);
    }
    return token(cc, r, asked);
  }

  private Token token(ClientCredentials cc, HttpResponse<byte[]> r, Instant asked) {
    int status = r.statusCode();
    String body = new String(r.body(), StandardCharsets.UTF_8);
    String where = "token endpoint " + cc.tokenUrl();
    if (status >= 500 || status == 429 || status == 408) {
      String msg = where + " answered " + status;
      throw RetryAfter.parse(r.headers().firstValue("Retry-After").orElse(null), clock.instant())
          .map(d -> ConnectorException.retryAfter(msg, d))
          .orElseGet(() -> ConnectorException.transientFailure(msg, null));
    }
    if (status >= 300) {
      throw ConnectorException.misconfigured(
          where
              + " refused the client credentials of '"
              + cc.clientId()
              + "' with "
              + status
              + ": "
              + Excerpt.of(body));
    }
    Object parsed;
    try {
      parsed = JsonBodies.parse(r.body());
    } catch (IOException e) {
      parsed = null;
    }
    if (!(parsed instanceof Map<?, ?> m) || !(m.get("access_token") instanceof String value)) {
      throw ConnectorException.misconfigured(
          where + " answered without an access_token: " + Excerpt.of(body));
    }
    Instant refreshAt = null;
    long expiresIn = expiresIn(m.get("expires_in"));
    if (expiresIn > 0) {
      Duration life = Duration.ofSeconds(expiresIn);
      Duration early = life.dividedBy(10);
      refreshAt =
          asked
              .plus(life)
              .minus(early.compareTo(MAX_EARLY_REFRESH) > 0 ? MAX_EARLY_REFRESH : early);
    }
    LOG.info(
        "event=oauth2_token_fetched tokenUrl={} clientId={} refreshAt={}",
        cc.tokenUrl(),
        cc.clientId(),
        refreshAt);
    return new Token(value, refreshAt);
  }

  /** Seconds; some servers send them as a string. 0 when absent or unreadable. */
  private static long expiresIn(Object v) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s && s.strip().matches("\\d{1,9}")) {
      return Long.parseLong(s.strip());
    }
    return 0;
  }
}
