package io.cob.cli;

import io.cob.model.Problem;
import io.cob.model.SourceLocation;
import io.cob.model.parse.BpmnParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads BPMN files for the CLI, turning I/O failures into problems that name the file. */
final class BpmnFiles {
  private BpmnFiles() {}

  static List<Problem> validate(BpmnParser parser, Path file) {
    String name = file.toString();
    try {
      long size = Files.size(file);
      if (size > BpmnParser.DEFAULT_MAX_BYTES) {
        return List.of(
            new Problem(
                new SourceLocation(name, 1, 1),
                null,
                null,
                "document is "
                    + size
                    + " bytes, over the limit of "
                    + BpmnParser.DEFAULT_MAX_BYTES
                    + " bytes"));
      }
      return parser.validate(name, Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return List.of(new Problem(new SourceLocation(name, 0, 0), null, null, "file not found"));
    } catch (IOException e) {
      return List.of(
          new Problem(
              new SourceLocation(name, 0, 0), null, null, "cannot read file: " + e.getMessage()));
    }
  }
}
