package io.cob.connectors.pdf;

import java.io.IOException;
import java.text.Normalizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Makes text drawable with a standard-14 font, which encodes only the WinAnsi characters (Latin-1
 * and a few more): a character the font cannot encode becomes its base letter when it has one
 * ({@code ő} becomes {@code o}), else {@code ?}. Tabs become spaces and other control characters
 * are dropped, so variable values of any content never make the report fail.
 *
 * <p>Thread-safe; what the font can encode is remembered per character.
 */
final class WinAnsiText {
  private final PDFont font;
  private final Map<Integer, Boolean> encodable = new ConcurrentHashMap<>();

  WinAnsiText(PDFont font) {
    this.font = font;
  }

  /** {@code text} with every character the font can encode; line breaks are kept. */
  String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> append(out, cp));
    return out.toString();
  }

  private void append(StringBuilder out, int cp) {
    if (cp == '\n') {
      out.append('\n');
    } else if (cp == '\t') {
      out.append("    ");
    } else if (Character.isISOControl(cp) || cp == '\r') {
      // dropped: nothing to draw
    } else if (canEncode(cp)) {
      out.appendCodePoint(cp);
    } else {
      out.append(fallback(cp));
    }
  }

  private String fallback(int cp) {
    String decomposed =
        Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
    StringBuilder base = new StringBuilder();
    decomposed
        .codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(
            c -> {
              if (c < 0x10000 && c != cp && canEncode(c)) {
                base.appendCodePoint(c);
              }
            });
    return base.isEmpty() ? "?" : base.toString();
  }

  private boolean canEncode(int cp) {
    return encodable.computeIfAbsent(cp, this::tryEncode);
  }

  private boolean tryEncode(int cp) {
    try {
      font.encode(new String(Character.toChars(cp)));
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}
