package io.cob.connectors.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class WinAnsiTextTest {
  private final WinAnsiText text =
      new WinAnsiText(new PDType1Font(Standard14Fonts.FontName.HELVETICA));

  @Test
  void shouldKeepLatin1AndReplaceWhatTheFontCannotEncode() {
    assertThat(text.clean("Zoë Ødegård € ő 😀 中")).isEqualTo("Zoë Ødegård € o ? ?");
  }

  @Test
  void shouldTurnTabsIntoSpacesAndDropOtherControlCharacters() {
    assertThat(text.clean("a\tb\u0007c\r\nd")).isEqualTo("a    bc\nd");
  }
}
