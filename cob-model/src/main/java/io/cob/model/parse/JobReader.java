package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.JobDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the job definition of a service-like element (service, send, business rule and script
 * tasks; message end and throw events) from whichever vendor vocabulary the model uses.
 *
 * <p>Sources, weakest first; a later source overrides the job type and retries of an earlier one
 * and adds to its headers, so that a Camunda model can be annotated for cob without removing
 * anything:
 *
 * <ol>
 *   <li>Camunda 7 / Flowable / Activiti: {@code camunda:type="external" camunda:topic="t"}
 *       (Flowable also {@code type="external-worker"}), {@code camunda:failedJobRetryTimeCycle}
 *       {@code R5/...} for the retries, {@code camunda:properties} as headers;
 *   <li>Camunda 8: {@code zeebe:taskDefinition type retries}, {@code zeebe:taskHeaders};
 *   <li>cob: {@code cob:type}, {@code cob:retries}, {@code <cob:taskDefinition type retries/>},
 *       {@code <cob:header key value/>} (directly or inside {@code <cob:taskHeaders>}).
 * </ol>
 *
 * <p>Java delegates ({@code camunda:class}, {@code delegateExpression}, {@code expression}) cannot
 * run outside a Java engine and are always reported.
 */
final class JobReader {
  static final String JAVA_DELEGATES =
      "Java delegates are not supported; use an external task topic or a job type";
  private static final List<String> DELEGATE_ATTRIBUTES =
      List.of("class", "delegateExpression", "expression");
  private static final List<String> CLASSIC_ORDER =
      List.of(Namespaces.CAMUNDA, Namespaces.FLOWABLE, Namespaces.ACTIVITI);
  private static final Pattern RETRY_CYCLE = Pattern.compile("^\\s*R(\\d+)/");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+");

  private final ParseContext ctx;

  JobReader(ParseContext ctx) {
    this.ctx = ctx;
  }

  /** The job definition of {@code element}, or {@code null} when it names no job type. */
  JobDefinition read(XmlElement element) {
    rejectJavaDelegates(element);
    String type = null;
    String retries = null;
    // Set when a job type was written but unusable (and reported): the element then gets a
    // placeholder job, so that callers do not report a missing job type on top.
    boolean reported = false;
    Map<String, String> headers = new LinkedHashMap<>();

    for (String ns : CLASSIC_ORDER) {
      String classicType = element.attr(ns, "type");
      if (classicType != null) {
        String p = Namespaces.prefixFor(ns);
        if (classicType.equals("external") || classicType.equals("external-worker")) {
          String topic = element.attr(ns, "topic");
          if (ParseContext.isBlank(topic)) {
            ctx.problem(element, p + ":type=\"" + classicType + "\" needs a " + p + ":topic");
            reported = true;
          } else {
            type = topic;
          }
        } else {
          ctx.problem(
              element,
              p
                  + ":type '"
                  + classicType
                  + "' is not supported; use "
                  + p
                  + ":type=\"external\" with a "
                  + p
                  + ":topic, or a job type");
          reported = true;
        }
      }
      XmlElement cycle = element.extension(ns, "failedJobRetryTimeCycle");
      if (cycle != null) {
        Matcher m = RETRY_CYCLE.matcher(cycle.text());
        if (m.find()) {
          retries = m.group(1);
        }
      }
      for (XmlElement props : element.extensions(ns, "properties")) {
        for (XmlElement prop : props.children(ns, "property")) {
          header(
              element,
              headers,
              prop.attr("name"),
              prop.attr("value"),
              Namespaces.prefixFor(ns) + ":property");
        }
      }
    }

    XmlElement zeebe = element.extension(Namespaces.ZEEBE, "taskDefinition");
    if (zeebe != null) {
      String t = zeebe.attr("type");
      if (t == null) {
        ctx.problem(element, "zeebe:taskDefinition needs a type");
        reported = true;
      } else {
        type = t;
      }
      retries = zeebe.attr("retries") != null ? zeebe.attr("retries") : retries;
    }
    for (XmlElement hs : element.extensions(Namespaces.ZEEBE, "taskHeaders")) {
      for (XmlElement h : hs.children(Namespaces.ZEEBE, "header")) {
        header(element, headers, h.attr("key"), h.attr("value"), "zeebe:header");
      }
    }

    XmlElement cobDef = element.extension(Namespaces.COB, "taskDefinition");
    if (cobDef != null) {
      type = cobDef.attr("type") != null ? cobDef.attr("type") : type;
      retries = cobDef.attr("retries") != null ? cobDef.attr("retries") : retries;
    }
    type =
        element.attr(Namespaces.COB, "type") != null ? element.attr(Namespaces.COB, "type") : type;
    retries =
        element.attr(Namespaces.COB, "retries") != null
            ? element.attr(Namespaces.COB, "retries")
            : retries;
    for (XmlElement ext : element.extensionElements()) {
      if (ext.is(Namespaces.COB, "header")) {
        header(element, headers, ext.attr("key"), ext.attr("value"), "cob:header");
      } else if (ext.is(Namespaces.COB, "taskHeaders")) {
        for (XmlElement h : ext.children(Namespaces.COB, "header")) {
          header(element, headers, h.attr("key"), h.attr("value"), "cob:header");
        }
      }
    }

    if (type == null) {
      return reported
          ? new JobDefinition(Expression.literal(""), Expression.literal("3"), headers)
          : null;
    }
    if (type.isBlank()) {
      ctx.problem(element, "job type is empty");
    }
    return new JobDefinition(
        ctx.expression(element, "job type", type), retries(element, retries), headers);
  }

  /** Reports Camunda 7 style Java delegates on a service-like element. */
  private void rejectJavaDelegates(XmlElement element) {
    for (String ns : CLASSIC_ORDER) {
      for (String attr : DELEGATE_ATTRIBUTES) {
        if (element.attr(ns, attr) != null) {
          ctx.problem(element, JAVA_DELEGATES + " (" + Namespaces.prefixFor(ns) + ":" + attr + ")");
        }
      }
    }
  }

  /**
   * Whether the element names a Java delegate (already reported by {@link #read}), so that callers
   * need not add "no job type" on top.
   */
  static boolean hasJavaDelegate(XmlElement element) {
    for (String ns : CLASSIC_ORDER) {
      for (String attr : DELEGATE_ATTRIBUTES) {
        if (element.attr(ns, attr) != null) {
          return true;
        }
      }
    }
    return false;
  }

  private Expression retries(XmlElement element, String raw) {
    if (raw == null) {
      return Expression.literal("3");
    }
    Expression e = ctx.expression(element, "retries", raw);
    if (e.isLiteral() && !WHOLE_NUMBER.matcher(raw.strip()).matches()) {
      ctx.problem(element, "retries: '" + raw + "' is not a whole number");
    }
    return e.isLiteral() ? Expression.literal(raw.strip()) : e;
  }

  private void header(
      XmlElement element, Map<String, String> headers, String key, String value, String what) {
    if (ParseContext.isBlank(key)) {
      ctx.problem(element, what + " needs a key");
      return;
    }
    headers.put(key, value == null ? "" : value);
  }
}
