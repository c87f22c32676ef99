package io.cob.model.parse;

import io.cob.model.Expression;
import io.cob.model.IoMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads input and output mappings, in document order, from {@code zeebe:ioMapping} ({@code
 * input}/{@code output} with {@code source} and {@code target}), cob's {@code <cob:input>} and
 * {@code <cob:output>} (directly or inside {@code <cob:ioMapping>}, same attributes), and Camunda 7
 * {@code camunda:inputOutput} ({@code inputParameter}/{@code outputParameter}: {@code name} is the
 * target, the text is the source).
 */
final class IoMappingReader {
  private final ParseContext ctx;

  IoMappingReader(ParseContext ctx) {
    this.ctx = ctx;
  }

  /** The mappings of {@code element}; {@link IoMapping#NONE} when it has none. */
  IoMapping read(XmlElement element) {
    List<IoMapping.Mapping> inputs = new ArrayList<>();
    List<IoMapping.Mapping> outputs = new ArrayList<>();
    for (XmlElement ext : element.extensionElements()) {
      if (ext.is(Namespaces.ZEEBE, "ioMapping") || ext.is(Namespaces.COB, "ioMapping")) {
        for (XmlElement m : ext.children()) {
          sourceTarget(element, m, ext.namespace(), inputs, outputs);
        }
      } else if (ext.namespace().equals(Namespaces.COB)) {
        sourceTarget(element, ext, Namespaces.COB, inputs, outputs);
      } else if (Namespaces.CLASSIC.contains(ext.namespace())
          && ext.localName().equals("inputOutput")) {
        for (XmlElement p : ext.children()) {
          if (p.is(ext.namespace(), "inputParameter")) {
            parameter(element, p, inputs, "input");
          } else if (p.is(ext.namespace(), "outputParameter")) {
            parameter(element, p, outputs, "output");
          }
        }
      }
    }
    return inputs.isEmpty() && outputs.isEmpty() ? IoMapping.NONE : new IoMapping(inputs, outputs);
  }

  private void sourceTarget(
      XmlElement element,
      XmlElement m,
      String ns,
      List<IoMapping.Mapping> inputs,
      List<IoMapping.Mapping> outputs) {
    boolean input = m.is(ns, "input");
    if (!input && !m.is(ns, "output")) {
      return;
    }
    String what = input ? "input" : "output";
    String source = m.attr("source");
    String target = m.attr("target");
    if (ParseContext.isBlank(target)) {
      ctx.problem(element, m.displayName() + " needs a target");
      return;
    }
    if (source == null) {
      ctx.problem(element, m.displayName() + " '" + target + "' needs a source");
      return;
    }
    Expression e = ctx.expression(element, what + " '" + target + "'", source);
    (input ? inputs : outputs).add(new IoMapping.Mapping(e, target.strip()));
  }

  private void parameter(
      XmlElement element, XmlElement p, List<IoMapping.Mapping> into, String what) {
    String name = p.attr("name");
    if (ParseContext.isBlank(name)) {
      ctx.problem(element, p.displayName() + " needs a name");
      return;
    }
    if (!p.children().isEmpty()) {
      ctx.problem(
          element,
          p.displayName()
              + " '"
              + name
              + "': only text values are supported, not <"
              + p.children().getFirst().displayName()
              + ">");
      return;
    }
    String text = p.text();
    Expression e =
        text.isBlank()
            ? Expression.literal("")
            : ctx.expression(element, what + " '" + name + "'", text.strip());
    into.add(new IoMapping.Mapping(e, name.strip()));
  }
}
