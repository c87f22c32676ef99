package io.cob.connectors.smtp;

import io.cob.connectors.ConnectorException;
import io.cob.connectors.JobConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The mail server one task sends through: each setting from the task (header or variable) if it
 * sets it, else from the node's {@code connectors.smtp.*}. Secrets ({@code {{secrets.NAME}}}) are
 * resolved in both.
 *
 * @param port 25 unless set (465 with {@code tls: ssl})
 * @param username {@code null} to send without logging in
 * @param from the default sender, or {@code null}
 * @param timeout for connecting, and for each read and write on the connection
 */
record SmtpServer(
    String host,
    int port,
    String username,
    String password,
    Tls tls,
    String from,
    Duration timeout) {

  /** How the connection is protected. */
  enum Tls {
    /** Plain text (a relay on the same host or network). */
    NONE,
    /** Plain connection upgraded with STARTTLS, which the server must offer. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, port 465). */
    SSL
  }

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The server settings of a task. */
  static SmtpServer of(JobConfig config) {
    Settings s = new Settings(config);
    Tls tls = s.tls();
    String host = s.text("host").orElseThrow(() -> config.missing("host"));
    return new SmtpServer(
        host,
        s.port(tls == Tls.SSL ? 465 : 25),
        s.text("username").orElse(null),
        s.text("password").orElse(null),
        tls,
        s.text("from").orElse(null),
        s.timeout());
  }

  /** The Jakarta Mail session properties for this server. */
  Properties sessionProperties(String envelopeFrom) {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", host);
    p.setProperty("mail.smtp.port", String.valueOf(port));
    p.setProperty("mail.smtp.from", envelopeFrom);
    p.setProperty("mail.smtp.auth", String.valueOf(username != null));
    String millis = String.valueOf(timeout.toMillis());
    p.setProperty("mail.smtp.connectiontimeout", millis);
    p.setProperty("mail.smtp.timeout", millis);
    p.setProperty("mail.smtp.writetimeout", millis);
    switch (tls) {
      case STARTTLS -> {
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case SSL -> {
        p.setProperty("mail.smtp.ssl.enable", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case NONE -> {}
    }
    return p;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "SmtpServer[" + host + ":" + port + ", tls=" + tls + ", user=" + username + "]";
  }

  /** Reads one setting from the task, else from {@code connectors.smtp}. */
  private record Settings(JobConfig config, Map<String, Object> node) {
    Settings(JobConfig config) {
      this(config, config.context().settings("smtp"));
    }

    Optional<String> text(String name) {
      if (config.has(name)) {
        return config.optionalString(name).filter(v -> !v.isBlank());
      }
      Object v = node.get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw ConnectorException.misconfigured(
            "connectors.smtp." + name + " must be a text, not " + v.getClass().getSimpleName());
      }
      String text =
          config.context().secrets().resolve(String.valueOf(v), "connectors.smtp." + name);
      return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    int port(int fallback) {
      Optional<String> v = text("port");
      if (v.isEmpty()) {
        return fallback;
      }
      try {
        int port = Integer.parseInt(v.get().strip());
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // Refused below with the value.
      }
      throw ConnectorException.misconfigured(
          "setting 'port' must be a port number from 1 to 65535, not '" + v.get() + "'");
    }

    Tls tls() {
      String v = text("tls").orElse("none").strip().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "none" -> Tls.NONE;
        case "starttls" -> Tls.STARTTLS;
        case "ssl", "tls" -> Tls.SSL;
        default ->
            throw ConnectorException.misconfigured(
                "setting 'tls' must be none, starttls or ssl, not '" + v + "'");
      };
    }

    Duration timeout() {
      Optional<String> v = text("timeout");
      if (v.isEmpty()) {
        return DEFAULT_TIMEOUT;
      }
      String t = v.get().strip();
      try {
        Duration d = t.matches("\\d+") ? Duration.ofMillis(Long.parseLong(t)) : Duration.parse(t);
        if (!d.isNegative() && !d.isZero()) {
          return d;
        }
      } catch (DateTimeParseException | NumberFormatException e) {
        // Refused below with the value.
      }
      throw ConnectorException.misconfigured(
          "setting 'timeout' must be a positive ISO-8601 duration such as PT30S, not '" + t + "'");
    }
  }
}
