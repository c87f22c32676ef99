package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.FlowNode;
import io.cob.model.MessageRef;
import io.cob.model.Problem;
import io.cob.model.SequenceFlow;
import io.cob.model.expr.ExpressionEvaluator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * State shared by the readers of one document: where problems go, the expression checker, and the
 * document-level definitions ({@code <message>}, {@code <error>}) that flow elements refer to.
 *
 * <p>Problems are always reported at a <em>subject</em>: the element a user can find in a modeling
 * tool (a flow node, a sequence flow, a process, a message...), never at an inner element such as
 * an event definition or an extension element; the message names the inner part instead.
 */
final class ParseContext {
  /** An {@code <error>}. */
  record ErrorDef(String id, String name, String errorCode) {}

  private final ExpressionEvaluator evaluator;
  private final List<Problem> problems;
  private final Map<String, MessageRef> messages = new HashMap<>();
  private final Map<String, ErrorDef> errors = new HashMap<>();
  private final Set<String> ids = new HashSet<>();

  ParseContext(ExpressionEvaluator evaluator, List<Problem> problems) {
    this.evaluator = evaluator;
    this.problems = problems;
  }

  // --- problems ---

  void problem(XmlElement subject, String message) {
    problems.add(new Problem(subject.location(), subject.id(), subject.localName(), message));
  }

  void problem(FlowNode node, String message) {
    problems.add(new Problem(node.header().location(), node.id(), node.tag(), message));
  }

  void problem(SequenceFlow flow, String message) {
    problems.add(new Problem(flow.location(), flow.id(), "sequenceFlow", message));
  }

  // --- values ---

  /**
   * Classifies a value with {@link Expression#of} and checks its syntax; a syntax error becomes a
   * problem {@code "<what>: <parser message>"} at the subject. Returns {@code null} for {@code
   * null}.
   */
  Expression expression(XmlElement subject, String what, String raw) {
    if (raw == null) {
      return null;
    }
    Expression e = Expression.of(raw);
    if (!e.isLiteral()) {
      Optional<String> error;
      try {
        error = evaluator.check(e);
      } catch (RuntimeException ex) {
        // A checker must not crash the parse; whatever it says is the user's problem to read.
        error = Optional.of(String.valueOf(ex.getMessage()));
      }
      error.ifPresent(m -> problem(subject, what + ": " + m));
    }
    return e;
  }

  /**
   * Like {@link #expression} but a plain literal is a problem: for values that only make sense
   * evaluated (conditions, collections).
   */
  Expression requiredExpression(XmlElement subject, String what, String raw) {
    Expression e = expression(subject, what, raw);
    if (e != null && e.isLiteral()) {
      problem(
          subject,
          what
              + ": '"
              + raw.strip()
              + "' is not an expression; write ="
              + raw.strip()
              + " (FEEL) or ${"
              + raw.strip()
              + "} (JUEL)");
    }
    return e;
  }

  /** A boolean attribute; a value other than true/false is a problem and yields the default. */
  boolean bool(XmlElement subject, XmlElement carrier, String ns, String local, boolean dflt) {
    String raw = carrier.attr(ns, local);
    if (raw == null) {
      return dflt;
    }
    String v = raw.strip();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    String prefix = Namespaces.prefixFor(ns);
    String name = prefix.isEmpty() ? local : prefix + ":" + local;
    problem(subject, name + " must be true or false, not '" + raw + "'");
    return dflt;
  }

  /** Strips a QName prefix ({@code tns:msg1} → {@code msg1}); ids never contain colons. */
  static String ref(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    int colon = s.indexOf(':');
    return colon >= 0 ? s.substring(colon + 1) : s;
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  // --- document definitions ---

  void registerId(String id) {
    ids.add(id);
  }

  boolean hasId(String id) {
    return ids.contains(id);
  }

  /** A {@code <message>} as flow elements will refer to it; its name may be {@code null}. */
  void defineMessage(MessageRef message) {
    messages.put(message.id(), message);
  }

  void defineError(ErrorDef def) {
    errors.put(def.id(), def);
  }

  /**
   * Resolves the {@code messageRef} of an inner element (event definition, receive task) to a
   * message with a name. Returns {@code null}, after reporting at the subject, when the reference
   * is missing, dangling or nameless.
   */
  MessageRef message(XmlElement subject, XmlElement carrier) {
    String raw = carrier.attr("messageRef");
    if (isBlank(raw)) {
      problem(subject, "<" + carrier.localName() + "> needs a messageRef");
      return null;
    }
    MessageRef message = messages.get(ref(raw));
    if (message == null) {
      problem(subject, "messageRef '" + ref(raw) + "' does not resolve to a <message>");
      return null;
    }
    if (message.name() == null) {
      problem(subject, "messageRef '" + ref(raw) + "' refers to a <message> without a name");
      return null;
    }
    return message;
  }

  /** Resolves an {@code errorRef}; returns {@code null} after reporting when it is dangling. */
  ErrorDef error(XmlElement subject, String raw) {
    ErrorDef def = errors.get(ref(raw));
    if (def == null) {
      problem(subject, "errorRef '" + ref(raw) + "' does not resolve to an <error>");
    }
    return def;
  }

  boolean hasMessage(String id) {
    return messages.containsKey(id);
  }
}
