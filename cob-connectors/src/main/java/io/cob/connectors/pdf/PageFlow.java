package io.cob.connectors.pdf;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Flows content down A4 pages: paragraphs that wrap, headings, images and tables whose rows wrap in
 * their cells and which repeat their header on each new page. A new page starts when the next piece
 * does not fit; a footer with page numbers is drawn on every page at the end, when their number is
 * known.
 *
 * <p>All text goes through {@link WinAnsiText}, so any character can be given. Not thread-safe: one
 * flow draws one document.
 */
final class PageFlow {
  static final PDRectangle PAGE = PDRectangle.A4;
  static final float LEFT = 48;
  static final float WIDTH = PAGE.getWidth() - 2 * LEFT;
  private static final float TOP = PAGE.getHeight() - 48;
  private static final float BOTTOM = 64;
  private static final float CELL_SIZE = 8.5f;
  private static final float CELL_LEADING = 10.5f;
  private static final float CELL_PAD = 3.5f;
  static final Color INK = new Color(0x1f, 0x29, 0x37);
  static final Color MUTED = new Color(0x5b, 0x67, 0x76);
  private static final Color HEADER_FILL = new Color(0x2f, 0x4a, 0x63);
  private static final Color STRIPE = new Color(0xf1, 0xf4, 0xf7);
  private static final Color RULE = new Color(0xc8, 0xd0, 0xd9);

  /** A column of a table: its header label, width in points and the font of its cells. */
  record Column(String label, float width, PDFont font) {}

  /**
   * A table. A row of one cell is a note spanning the whole width; other rows have one cell per
   * column.
   */
  record Table(List<Column> columns, boolean header, List<List<String>> rows) {}

  private final PDDocument doc;
  private final WinAnsiText text;
  final PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  final PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  final PDFont italic = new PDType1Font(Standard14Fonts.FontName.HELVETICA_OBLIQUE);
  private PDPageContentStream cs;
  private float y;

  PageFlow(PDDocument doc) throws IOException {
    this.doc = doc;
    this.text = new WinAnsiText(regular);
    newPage();
  }

  void gap(float points) throws IOException {
    y -= points;
    if (y < BOTTOM) {
      newPage();
    }
  }

  /** A paragraph that wraps within the page width. */
  void paragraph(String s, PDFont font, float size, Color color) throws IOException {
    float leading = size * 1.3f;
    for (String line : wrap(s, font, size, WIDTH)) {
      ensure(leading);
      y -= leading;
      show(line, font, size, color, LEFT, y + size * 0.25f);
    }
  }

  /** A section heading with a rule under it, kept on the page of what follows it. */
  void heading(String s) throws IOException {
    ensure(60);
    gap(10);
    paragraph(s, bold, 13, INK);
    y -= 4;
    rule(LEFT, y, LEFT + WIDTH);
    y -= 6;
  }

  /** An image scaled to at most {@code maxHeight} points high and the page width. */
  void image(PDImageXObject image, float maxHeight) throws IOException {
    float scale = Math.min(maxHeight / image.getHeight(), WIDTH / image.getWidth());
    float w = image.getWidth() * scale;
    float h = image.getHeight() * scale;
    ensure(h);
    y -= h;
    cs.drawImage(image, LEFT, y, w, h);
  }

  void table(Table t) throws IOException {
    int maxLines = (int) ((TOP - BOTTOM - 3 * CELL_LEADING) / CELL_LEADING) - 2;
    boolean headerHere = false;
    for (int i = 0; i < t.rows().size(); i++) {
      List<List<String>> cells = cells(t, t.rows().get(i), maxLines);
      float height = rowHeight(cells);
      float headerHeight = t.header() && !headerHere ? rowHeight(headerCells(t)) : 0;
      if (y - height - headerHeight < BOTTOM) {
        newPage();
        headerHere = false;
      }
      if (t.header() && !headerHere) {
        drawHeader(t);
        headerHere = true;
      }
      drawRow(t, cells, height, i % 2 == 1);
    }
    y -= 4;
  }

  /** Ends the document's pages: a footer on each, {@code left} and "page n of m". */
  void finish(String left) throws IOException {
    cs.close();
    int count = doc.getNumberOfPages();
    int n = 0;
    for (PDPage page : doc.getPages()) {
      n++;
      try (PDPageContentStream footer =
          new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
        cs = footer;
        rule(LEFT, BOTTOM - 18, LEFT + WIDTH);
        float base = BOTTOM - 30;
        show(fit(left, regular, 7.5f, WIDTH - 80), regular, 7.5f, MUTED, LEFT, base);
        String pages = "Page " + n + " of " + count;
        float w = regular.getStringWidth(pages) / 1000 * 7.5f;
        show(pages, regular, 7.5f, MUTED, LEFT + WIDTH - w, base);
      }
    }
    cs = null;
  }

  private void newPage() throws IOException {
    if (cs != null) {
      cs.close();
    }
    PDPage page = new PDPage(PAGE);
    doc.addPage(page);
    cs = new PDPageContentStream(doc, page);
    y = TOP;
  }

  private void ensure(float height) throws IOException {
    if (y - height < BOTTOM) {
      newPage();
    }
  }

  private List<List<String>> cells(Table t, List<String> row, int maxLines) throws IOException {
    List<List<String>> out = new ArrayList<>();
    if (row.size() == 1) {
      out.add(clip(wrap(row.get(0), italic, CELL_SIZE, WIDTH - 2 * CELL_PAD), maxLines));
      return out;
    }
    for (int c = 0; c < t.columns().size(); c++) {
      Column col = t.columns().get(c);
      String value = c < row.size() && row.get(c) != null ? row.get(c) : "";
      out.add(clip(wrap(value, col.font(), CELL_SIZE, col.width() - 2 * CELL_PAD), maxLines));
    }
    return out;
  }

  private List<List<String>> headerCells(Table t) throws IOException {
    List<List<String>> out = new ArrayList<>();
    for (Column col : t.columns()) {
      out.add(wrap(col.label(), bold, CELL_SIZE, col.width() - 2 * CELL_PAD));
    }
    return out;
  }

  private static float rowHeight(List<List<String>> cells) {
    int lines = 1;
    for (List<String> cell : cells) {
      lines = Math.max(lines, cell.size());
    }
    return lines * CELL_LEADING + 2 * CELL_PAD;
  }

  private void drawHeader(Table t) throws IOException {
    List<List<String>> cells = headerCells(t);
    float height = rowHeight(cells);
    fill(LEFT, y - height, WIDTH, height, HEADER_FILL);
    float x = LEFT;
    for (int c = 0; c < cells.size(); c++) {
      drawCell(cells.get(c), bold, Color.WHITE, x, y);
      x += t.columns().get(c).width();
    }
    y -= height;
  }

  private void drawRow(Table t, List<List<String>> cells, float height, boolean striped)
      throws IOException {
    if (striped) {
      fill(LEFT, y - height, WIDTH, height, STRIPE);
    }
    if (cells.size() == 1 && t.columns().size() > 1) {
      drawCell(cells.get(0), italic, MUTED, LEFT, y);
    } else {
      float x = LEFT;
      for (int c = 0; c < cells.size(); c++) {
        Column col = t.columns().get(c);
        drawCell(cells.get(c), col.font(), INK, x, y);
        x += col.width();
      }
    }
    y -= height;
    rule(LEFT, y, LEFT + WIDTH);
  }

  private void drawCell(List<String> lines, PDFont font, Color color, float x, float top)
      throws IOException {
    float baseline = top - CELL_PAD - CELL_SIZE;
    for (String line : lines) {
      show(line, font, CELL_SIZE, color, x + CELL_PAD, baseline);
      baseline -= CELL_LEADING;
    }
  }

  private void show(String s, PDFont font, float size, Color color, float x, float baseline)
      throws IOException {
    if (s.isEmpty()) {
      return;
    }
    cs.beginText();
    cs.setFont(font, size);
    cs.setNonStrokingColor(color);
    cs.newLineAtOffset(x, baseline);
    cs.showText(s);
    cs.endText();
  }

  private void fill(float x, float bottom, float w, float h, Color color) throws IOException {
    cs.setNonStrokingColor(color);
    cs.addRect(x, bottom, w, h);
    cs.fill();
  }

  private void rule(float x1, float at, float x2) throws IOException {
    cs.setStrokingColor(RULE);
    cs.setLineWidth(0.5f);
    cs.moveTo(x1, at);
    cs.lineTo(x2, at);
    cs.stroke();
  }

  /** The lines of {@code s} within {@code width}: at spaces, or inside words too long to fit. */
  List<String> wrap(String s, PDFont font, float size, float width) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.clean(s).split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (width(candidate, font, size) <= width) {
          line.setLength(0);
          line.append(candidate);
          continue;
        }
        if (!line.isEmpty()) {
          lines.add(line.toString());
          line.setLength(0);
        }
        String rest = word;
        while (width(rest, font, size) > width) {
          int cut = fitting(rest, font, size, width);
          lines.add(rest.substring(0, cut));
          rest = rest.substring(cut);
        }
        line.append(rest);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** How many characters of {@code s} fit in {@code width}; at least one. */
  private static int fitting(String s, PDFont font, float size, float width) throws IOException {
    float used = 0;
    int cut = 0;
    while (cut < s.length()) {
      int next = s.offsetByCodePoints(cut, 1);
      used += width(s.substring(cut, next), font, size);
      if (used > width) {
        break;
      }
      cut = next;
    }
    return Math.max(cut, s.offsetByCodePoints(0, 1));
  }

  private String fit(String s, PDFont font, float size, float width) throws IOException {
    List<String> lines = wrap(s, font, size, width);
    return lines.size() == 1 ? lines.get(0) : lines.get(0) + " ...";
  }

  private static List<String> clip(List<String> lines, int max) {
    if (lines.size() <= max) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines.subList(0, max - 1));
    out.add("... (" + (lines.size() - max + 1) + " more lines)");
    return out;
  }

  private static float width(String s, PDFont font, float size) throws IOException {
    return font.getStringWidth(s) / 1000 * size;
  }
}
