package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.MultiInstance;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code multiInstanceLoopCharacteristics} of an activity.
 *
 * <p>Sources: BPMN {@code isSequential}, {@code loopCardinality} and {@code completionCondition};
 * Camunda 8 {@code zeebe:loopCharacteristics inputCollection inputElement outputCollection
 * outputElement} (cob's {@code <cob:loopCharacteristics>} takes the same attributes and wins);
 * Camunda 7 {@code camunda:collection} and {@code camunda:elementVariable}. A Camunda 7 collection
 * written as a bare variable name means that variable, so it becomes {@code ${name}}. {@code
 * standardLoopCharacteristics} is reported as unsupported.
 */
final class LoopReader {
  private static final Set<String> MI_CHILDREN =
      Set.of(
          "loopCardinality",
          "completionCondition",
          "loopDataInputRef",
          "loopDataOutputRef",
          "inputDataItem",
          "outputDataItem",
          "extensionElements",
          "documentation");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+");

  private final ParseContext ctx;
  private final CobExtensions cob;

  LoopReader(ParseContext ctx, CobExtensions cob) {
    this.ctx = ctx;
    this.cob = cob;
  }

  /**
   * The multi-instance characteristics of {@code activity}, or {@code null} for a single instance.
   */
  MultiInstance read(XmlElement activity) {
    if (activity.child(Namespaces.BPMN, "standardLoopCharacteristics") != null) {
      ctx.problem(
          activity,
          "unsupported element <standardLoopCharacteristics>: standard loops are not supported; use"
              + " multiInstanceLoopCharacteristics");
    }
    XmlElement mi = activity.child(Namespaces.BPMN, "multiInstanceLoopCharacteristics");
    if (mi == null) {
      return null;
    }
    BpmnVocabulary.rejectUnknownChildren(ctx, activity, mi, MI_CHILDREN);
    cob.read(activity, mi, CobExtensions.LOOP)
        .forEach(
            (k, v) ->
                ctx.problem(
                    activity,
                    "attribute cob:"
                        + k
                        + " has no meaning on <multiInstanceLoopCharacteristics>"));
    boolean sequential = ctx.bool(activity, mi, "", "isSequential", false);

    String collection = null;
    String inputElement = null;
    String outputCollection = null;
    String outputElement = null;
    String classic = mi.attrIn(Namespaces.CLASSIC, "collection");
    if (classic != null) {
      collection =
          IDENTIFIER.matcher(classic.strip()).matches() ? "${" + classic.strip() + "}" : classic;
    }
    inputElement = mi.attrIn(Namespaces.CLASSIC, "elementVariable");
    for (String ns : new String[] {Namespaces.ZEEBE, Namespaces.COB}) {
      XmlElement lc = mi.extension(ns, "loopCharacteristics");
      if (lc != null) {
        collection = orElse(lc.attr("inputCollection"), collection);
        inputElement = orElse(lc.attr("inputElement"), inputElement);
        outputCollection = orElse(lc.attr("outputCollection"), outputCollection);
        outputElement = orElse(lc.attr("outputElement"), outputElement);
      }
    }

    Expression inputCollection = ctx.requiredExpression(activity, "inputCollection", collection);
    Expression cardinality = cardinality(activity, mi.child(Namespaces.BPMN, "loopCardinality"));
    XmlElement cc = mi.child(Namespaces.BPMN, "completionCondition");
    Expression completion =
        cc == null || cc.text().isBlank()
            ? null
            : ctx.requiredExpression(activity, "completionCondition", cc.text().strip());
    if (inputCollection == null && cardinality == null) {
      ctx.problem(
          activity,
          "multiInstanceLoopCharacteristics needs an input collection or a loopCardinality");
    }
    if ((outputCollection == null) != (outputElement == null)) {
      ctx.problem(
          activity,
          "multiInstanceLoopCharacteristics needs both outputCollection and outputElement, or"
              + " neither");
    }
    return new MultiInstance(
        sequential,
        inputCollection,
        blankToNull(inputElement),
        blankToNull(outputCollection),
        ctx.expression(activity, "outputElement", outputElement),
        completion,
        cardinality);
  }

  private Expression cardinality(XmlElement activity, XmlElement el) {
    if (el == null || el.text().isBlank()) {
      return null;
    }
    String raw = el.text().strip();
    Expression e = ctx.expression(activity, "loopCardinality", raw);
    if (e.isLiteral() && !WHOLE_NUMBER.matcher(raw).matches()) {
      ctx.problem(
          activity, "loopCardinality: '" + raw + "' is neither a whole number nor an expression");
    }
    return e;
  }

  private static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
