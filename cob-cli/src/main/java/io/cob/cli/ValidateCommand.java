package io.cob.cli;

import io.cob.model.Problem;
import io.cob.model.expr.StandardExpressionEvaluator;
import io.cob.model.parse.BpmnParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cob validate FILE...}: prints every problem of every file; exit 2 if there is any. */
@Command(
    name = "validate",
    description =
        "Checks BPMN files and prints every problem as FILE:LINE:COL: element 'ID' (<tag>): message.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "BPMN files")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() {
    BpmnParser parser = new BpmnParser(new StandardExpressionEvaluator());
    List<Problem> problems = new ArrayList<>();
    for (Path f : files) {
      problems.addAll(BpmnFiles.validate(parser, f));
    }
    problems.forEach(p -> System.out.println(p));
    if (problems.isEmpty()) {
      System.err.println(files.size() == 1 ? "1 file is valid" : files.size() + " files are valid");
      return CobCommand.DONE;
    }
    return CobCommand.BAD_INPUT;
  }
}
