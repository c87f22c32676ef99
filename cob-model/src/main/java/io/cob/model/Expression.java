package io.cob.model;

/**
 * An attribute value that is evaluated at run time.
 *
 * <p>As in Camunda 8, a value beginning with {@code =} is a FEEL expression ({@link Language#FEEL},
 * {@code text} without the {@code =}); a value of the form {@code ${...}} or {@code #{...}} is a
 * Jakarta EL (JUEL) expression of Camunda 7 and Flowable models ({@link Language#JUEL}, {@code
 * text} as written); anything else is a {@link Language#LITERAL} string.
 */
public record Expression(String text, Language language) {
  public enum Language {
    LITERAL,
    FEEL,
    JUEL
  }

  /** Classifies an attribute value as written in the model. */
  public static Expression of(String raw) {
    String trimmed = raw.strip();
    if (trimmed.startsWith("=")) {
      return new Expression(trimmed.substring(1).strip(), Language.FEEL);
    }
    if ((trimmed.startsWith("${") || trimmed.startsWith("#{")) && trimmed.endsWith("}")) {
      return new Expression(trimmed, Language.JUEL);
    }
    return new Expression(raw, Language.LITERAL);
  }

  public static Expression literal(String value) {
    return new Expression(value, Language.LITERAL);
  }

  public static Expression feel(String text) {
    return new Expression(text, Language.FEEL);
  }

  public boolean isLiteral() {
    return language == Language.LITERAL;
  }

  @Override
  public String toString() {
    return switch (language) {
      case FEEL -> "=" + text;
      case JUEL, LITERAL -> text;
    };
  }
}
