package io.cob.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cob} command: one subcommand per job. Exit codes: 0 done, 1 failed/incident, 2 bad
 * input, 3 waiting.
 */
@Command(
    name = "cob",
    mixinStandardHelpOptions = true,
    versionProvider = CobCommand.Version.class,
    description = "cob - the Cloud Orchestration Bus: a durable BPMN 2.0 engine spanning clouds.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ServerCommand.class,
      CloudsCommand.class,
      FailoverCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class CobCommand {

  public static final int DONE = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int WAITING = 3;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (separate from main for tests). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new CobCommand());
    // picocli's own usage errors (unknown option, missing file argument) are bad input.
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          ex.getCommandLine().getErr().println("cob: " + ex.getMessage());
          ex.getCommandLine()
              .getErr()
              .println(
                  "Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return BAD_INPUT;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, p) -> {
          c.getErr().println("cob: " + ex.getMessage());
          return FAILED;
        });
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CobCommand.class.getPackage().getImplementationVersion();
      return new String[] {"cob " + (v == null ? "development build" : v)};
    }
  }
}
