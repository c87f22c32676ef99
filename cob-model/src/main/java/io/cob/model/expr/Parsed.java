package io.cob.model.expr;

/**
 * The outcome of parsing an expression: either the compiled form or the reason it is malformed.
 *
 * @param compiled the compiled expression, null when malformed
 * @param error a message naming the expression and the syntax problem, null when well-formed
 */
record Parsed<T>(T compiled, String error) {

  static <T> Parsed<T> ok(T compiled) {
    return new Parsed<>(compiled, null);
  }

  static <T> Parsed<T> malformed(String error) {
    return new Parsed<>(null, error);
  }

  boolean isMalformed() {
    return error != null;
  }
}
