package io.cob.bench;

import java.util.Locale;

/** The databases every workload runs on. */
public enum Db {
  H2("H2 (file)"),
  PG("PostgreSQL");

  private final String title;

  Db(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Db parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "h2" -> H2;
      case "pg", "postgres", "postgresql" -> PG;
      default -> throw new IllegalArgumentException("unknown database '" + text + "' (h2, pg)");
    };
  }
}
