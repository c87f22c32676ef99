package io.cob.bench;

import java.util.Locale;

/** The engines the harness compares; each runs in a JVM of its own. */
public enum Vendor {
  COB("cob"),
  CAMUNDA("Camunda 7"),
  FLOWABLE("Flowable");

  private final String title;

  Vendor(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Vendor parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
