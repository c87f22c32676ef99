package io.cob.connectors.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class XsltTransformerTest {
  private final XsltTransformer xslt = new XsltTransformer();

  private static final String RENAME =
      """
      <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
        <xsl:template match="/in"><out total="{sum(n)}"><xsl:copy-of select="n"/></out></xsl:template>
      </xsl:stylesheet>""";

  private static Document doc(String xml) {
    return SafeXmlParser.parse(xml, "test");
  }

  @Test
  void shouldTransformAndCompileEachStylesheetOnce() {
    Document out = xslt.transform(RENAME, doc("<in><n>1</n><n>2</n></in>"), "setting 'xslt'");
    assertThat(XmlWriter.write(out, false)).isEqualTo("<out total=\"3\"><n>1</n><n>2</n></out>");
    xslt.transform(RENAME, doc("<in/>"), "setting 'xslt'");
    assertThat(xslt.cached()).isEqualTo(1);
  }

  @Test
  void shouldNotReadFilesThroughTheStylesheet(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.xml"), "<s>top secret</s>");
    String reader =
        """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:template match="/"><out><xsl:value-of select="document('%s')"/></out></xsl:template>
        </xsl:stylesheet>"""
            .formatted(secret.toUri());
    assertThatThrownBy(() -> xslt.transform(reader, doc("<in/>"), "setting 'xslt'"))
        .isInstanceOf(XmlException.class)
        .hasMessageStartingWith("setting 'xslt': the transformation failed")
        .hasMessageNotContaining("top secret");
  }

  @Test
  void shouldNameAStylesheetThatIsNotXsltOrHasADoctype() {
    assertThatThrownBy(() -> xslt.transform("<nope/>", doc("<in/>"), "setting 'xslt'"))
        .hasMessageStartingWith("setting 'xslt' is not a usable XSLT stylesheet");
    assertThatThrownBy(
            () -> xslt.transform("<!DOCTYPE x []><x/>", doc("<in/>"), "setting 'responseXslt'"))
        .hasMessageStartingWith("setting 'responseXslt' contains a DOCTYPE declaration");
  }

  @Test
  void shouldRefuseEntityExpansionAndMalformedXmlWithTheirPlace() {
    String laughs =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
        <lolz>&lol2;</lolz>""";
    assertThatThrownBy(() -> SafeXmlParser.parse(laughs, "the answer"))
        .hasMessageStartingWith("the answer contains a DOCTYPE declaration, which is refused");
    assertThatThrownBy(() -> SafeXmlParser.parse("<a><b></a>", "the answer"))
        .hasMessageStartingWith("the answer is not well-formed XML (line 1, column");
  }
}
