package io.cob.connectors.pdf;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads back a PDF for tests: its pages, its text, a picture of a page. */
record PdfInspection(int pages, String text, boolean firstPageHasImage) {

  static {
    // Rendering uses AWT; tests run on machines without a display.
    System.setProperty("java.awt.headless", "true");
  }

  /** Parses the PDF (failing the test when PDFBox cannot). */
  static PdfInspection of(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      boolean image = doc.getPage(0).getResources().getXObjectNames().iterator().hasNext();
      return new PdfInspection(doc.getNumberOfPages(), new PDFTextStripper().getText(doc), image);
    }
  }

  /** Renders page 1 at 110 dpi into {@code file} as PNG and returns the picture. */
  static BufferedImage writeFirstPage(byte[] pdf, Path file) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      BufferedImage image = new PDFRenderer(doc).renderImageWithDPI(0, 110);
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(image, "png", file.toFile());
      return image;
    }
  }

  /** The share of pixels that are not (nearly) white. */
  static double inkedShare(BufferedImage image) {
    long inked = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (r + g + b < 3 * 235) {
          inked++;
        }
      }
    }
    return (double) inked / ((long) image.getWidth() * image.getHeight());
  }

  /** The text's lines that contain every one of {@code parts}. */
  java.util.List<String> linesWith(String... parts) {
    return text.lines()
        .filter(
            l -> {
              for (String p : parts) {
                if (!l.contains(p)) {
                  return false;
                }
              }
              return true;
            })
        .toList();
  }
}
