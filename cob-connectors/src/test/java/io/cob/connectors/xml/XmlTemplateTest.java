package io.cob.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlTemplateTest {
  private static final Map<String, Object> VARS =
      Map.of(
          "name",
          "<b a='1'>&",
          "order",
          Map.of("id", 7L, "lines", List.of(Map.of("sku", "X-1"))),
          "amount",
          new BigDecimal("1E+2"),
          "sneaky",
          "${order.id}");

  @Test
  void shouldFillPlaceholdersWithEscapedValuesFollowingPaths() {
    String out =
        XmlTemplate.render(
            "<o id=\"${order.id}\" n=\"${ name }\"><sku>${order.lines.0.sku}</sku>"
                + "<a>${amount}</a><t>$${literal}</t><s>${sneaky}</s></o>",
            VARS,
            "setting 'body'");
    assertThat(out)
        .isEqualTo(
            "<o id=\"7\" n=\"&lt;b a=&apos;1&apos;&gt;&amp;\"><sku>X-1</sku>"
                + "<a>100</a><t>${literal}</t><s>${order.id}</s></o>");
    assertThat(SafeXmlParser.parse(out, "t").getDocumentElement().getAttribute("n"))
        .isEqualTo("<b a='1'>&");
  }

  @Test
  void shouldFillSecretReferencesEscapedButNeverFromInsertedValues() {
    Map<String, Object> vars = Map.of("v", "{{secrets.KEY}}");
    String out =
        XmlTemplate.render(
            "<k>{{ secrets.KEY }}</k><v>${v}</v>",
            vars,
            ref -> ref.contains("KEY") ? "p&ss<" : "?",
            "b");
    assertThat(out).isEqualTo("<k>p&amp;ss&lt;</k><v>{{secrets.KEY}}</v>");
  }

  @Test
  void shouldWriteNullAsNothing() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("x", null);
    assertThat(XmlTemplate.render("<a>${x}</a>", vars, "b")).isEqualTo("<a></a>");
  }

  @Test
  void shouldNameThePlaceholderThatCannotBeFilled() {
    assertThatThrownBy(() -> XmlTemplate.render("${nope}", VARS, "setting 'body'"))
        .isInstanceOf(XmlException.class)
        .hasMessage("setting 'body', placeholder ${nope}: there is no variable 'nope'");
    assertThatThrownBy(() -> XmlTemplate.render("${order.customer}", VARS, "b"))
        .hasMessage("b, placeholder ${order.customer}: 'order' has no 'customer'");
    assertThatThrownBy(() -> XmlTemplate.render("${order.lines.3}", VARS, "b"))
        .hasMessage("b, placeholder ${order.lines.3}: 'order.lines' has no '3'");
    assertThatThrownBy(() -> XmlTemplate.render("${order}", VARS, "b"))
        .hasMessageContaining("the value is a context; a placeholder inserts text");
    assertThatThrownBy(() -> XmlTemplate.render("${a+b}", VARS, "b"))
        .hasMessageContaining("not a variable name or a path like a.b.c");
  }
}
