package io.cob.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class XmlJsonTest {

  private static Object json(String xml) {
    return XmlJson.toJson(SafeXmlParser.parse(xml, "test").getDocumentElement());
  }

  /** XML → JSON → XML → JSON gives the same JSON, and the XML is equal by names and text. */
  private static Document roundTrip(String xml, String name, String ns, boolean qualified) {
    Object first = json(xml);
    Document back = XmlJson.toXml(name, ns, first, qualified);
    assertThat(XmlJson.toJson(back.getDocumentElement())).isEqualTo(first);
    return back;
  }

  @Test
  void shouldMapAttributesToAtKeysAndTextBesideThemToHashText() {
    assertThat(json("<price currency=\"EUR\" net=\"true\">12.50</price>"))
        .isEqualTo(Map.of("@currency", "EUR", "@net", "true", "#text", "12.50"));
    Document back =
        roundTrip("<price currency=\"EUR\" net=\"true\">12.50</price>", "price", null, true);
    assertThat(XmlWriter.write(back, false))
        .isEqualTo("<price currency=\"EUR\" net=\"true\">12.50</price>");
  }

  @Test
  void shouldMapRepeatedElementsToAListInDocumentOrderAndASingleOneToAValue() {
    String xml = "<o><line>a</line><id>7</id><line>b</line><tag>x</tag></o>";
    assertThat(json(xml)).isEqualTo(Map.of("line", List.of("a", "b"), "id", "7", "tag", "x"));
    assertThat(XmlWriter.write(roundTrip(xml, "o", null, true), false))
        .isEqualTo("<o><line>a</line><line>b</line><id>7</id><tag>x</tag></o>");
  }

  @Test
  void shouldDropPrefixesAndPutElementsBackIntoTheNamespaceGiven() {
    String xml =
        "<p:order xmlns:p=\"urn:shop\" xmlns:x=\"urn:other\"><p:id>1</p:id>"
            + "<x:note x:lang=\"en\">hi</x:note></p:order>";
    assertThat(json(xml))
        .isEqualTo(Map.of("id", "1", "note", Map.of("@lang", "en", "#text", "hi")));

    Document qualified = roundTrip(xml, "order", "urn:shop", true);
    Element id = (Element) qualified.getDocumentElement().getFirstChild();
    assertThat(id.getNamespaceURI()).isEqualTo("urn:shop");
    assertThat(XmlWriter.write(qualified, false))
        .isEqualTo("<order xmlns=\"urn:shop\"><id>1</id><note lang=\"en\">hi</note></order>");

    Document unqualified = roundTrip(xml, "order", "urn:shop", false);
    assertThat(unqualified.getDocumentElement().getFirstChild().getNamespaceURI()).isNull();
    assertThat(XmlWriter.write(unqualified, false))
        .isEqualTo(
            "<ns:order xmlns:ns=\"urn:shop\"><id>1</id><note lang=\"en\">hi</note></ns:order>");
  }

  @Test
  void shouldKeepTextOfMixedContentAndEmptyAndNilElements() {
    assertThat(json("<a> x <b>1</b> y <![CDATA[<z>]]></a>"))
        .isEqualTo(Map.of("b", "1", "#text", "x y <z>"));
    Map<String, Object> expected = new HashMap<>();
    expected.put("empty", "");
    expected.put("none", null);
    expected.put("space", "  ");
    String xml =
        "<a xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><empty/>"
            + "<none xsi:nil=\"true\"/><space>  </space></a>";
    assertThat(json(xml)).isEqualTo(expected);
    roundTrip(xml, "a", null, true);
  }

  @Test
  void shouldWriteScalarsPlainlyAndNullAsNil() {
    Map<String, Object> value = new java.util.LinkedHashMap<>();
    value.put("amount", new BigDecimal("1E+3"));
    value.put("rate", 0.25d);
    value.put("count", 3L);
    value.put("ok", true);
    value.put("gone", null);
    value.put("esc", "a<b & \"c\"");
    assertThat(XmlWriter.write(XmlJson.toXml("v", "", value, true), false))
        .isEqualTo(
            "<v><amount>1000</amount><rate>0.25</rate><count>3</count><ok>true</ok>"
                + "<gone xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/>"
                + "<esc>a&lt;b &amp; \"c\"</esc></v>");
  }

  @Test
  void shouldNameKeysAndValuesThatXmlCannotHold() {
    assertThatThrownBy(() -> XmlJson.toXml("op", null, Map.of("a b", 1), true))
        .isInstanceOf(XmlException.class)
        .hasMessage("op: key 'a b' is not an XML name (letters, digits, _ . -; no prefix)");
    assertThatThrownBy(() -> XmlJson.toXml("op", null, Map.of("x", Map.of("p:y", 1)), true))
        .hasMessageContaining("op/x: key 'p:y' is not an XML name");
    assertThatThrownBy(() -> XmlJson.toXml("op", null, Map.of("x", "bell\u0007"), true))
        .hasMessage("op/x: character U+0007 cannot appear in XML");
    assertThatThrownBy(() -> XmlJson.toXml("op", null, List.of(1), true))
        .hasMessageContaining("op: a list needs a name for its elements");
  }
}
