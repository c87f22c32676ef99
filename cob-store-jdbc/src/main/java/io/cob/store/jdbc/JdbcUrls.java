package io.cob.store.jdbc;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and adjusting the JDBC URLs a store is opened with. Pure functions. */
final class JdbcUrls {
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

  private JdbcUrls() {}

  /** The URL without the value of any {@code password=} setting, for messages. */
  static String redact(String jdbcUrl) {
    return jdbcUrl == null ? null : PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
  }

  /** The schema a PostgreSQL URL selects with {@code currentSchema=}, if any. */
  static Optional<String> currentSchema(String jdbcUrl) {
    Matcher m = CURRENT_SCHEMA.matcher(jdbcUrl);
    if (!m.find()) {
      return Optional.empty();
    }
    // The driver takes a search path: the first entry is where tables are created.
    String first =
        java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8)
            .split(",")[0]
            .trim();
    return first.isEmpty() ? Optional.empty() : Optional.of(first);
  }

  /**
   * The URL to give the pool for an H2 URL.
   *
   * <ul>
   *   <li>An unnamed in-memory database ({@code jdbc:h2:mem:}) would be a different database on
   *       every pooled connection: it gets a random name. (That it lives exactly as long as the
   *       store is the store's business: see {@link JdbcStore}.)
   *   <li>H2 waits only 2 seconds for a row lock by default; a busy engine can hold rows a little
   *       longer than that, so the default here is 10 seconds ({@code LOCK_TIMEOUT}).
   * </ul>
   */
  static String forH2Pool(String jdbcUrl) {
    String url = jdbcUrl;
    if (isH2Memory(url)) {
      String rest = url.substring("jdbc:h2:mem:".length());
      if (rest.isEmpty() || rest.startsWith(";")) {
        url = "jdbc:h2:mem:cob-" + UUID.randomUUID() + rest;
      }
    }
    url = withDefault(url, "LOCK_TIMEOUT", "10000");
    if (!isH2Memory(url)) {
      // H2 keeps commits in memory for up to a second by default; a process killed in that
      // window loses transactions it reported committed. WRITE_DELAY=0 writes each commit to the
      // file at once, so a commit survives the death of the process (not of the machine: H2
      // does not fsync every commit; PostgreSQL is the store for that).
      url = withDefault(url, "WRITE_DELAY", "0");
    }
    return url;
  }

  static boolean isH2Memory(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:h2:mem:");
  }

  private static String withDefault(String url, String setting, String value) {
    boolean present = url.toUpperCase(Locale.ROOT).contains(";" + setting + "=");
    return present ? url : url + ";" + setting + "=" + value;
  }
}
