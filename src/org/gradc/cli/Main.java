package org.gradc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gradc} command line. Exit status: 0 ok, 1 user error (bad file, bad data, failed
 * gradcheck), 2 usage error. Errors in a {@code .grad} file go to stderr as
 * {@code FILE:LINE:COL: error: …} with the source line and a caret; never a stack trace.
 */
@Command(name = "gradc", mixinStandardHelpOptions = true, version = "gradc 0.1.0",
    scope = CommandLine.ScopeType.INHERIT,
    description = "Compiles a small neural-network language to specialized Java training code.",
    subcommands = {CheckCommand.class, GradCommand.class, ExplainCommand.class,
        EmitCommand.class, EvalCommand.class, GradcheckCommand.class,
        TrainCommand.class, PredictCommand.class, GraphCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs gradc with the given arguments; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      errWriter.println("gradc: internal error: " + ex);
      return 1;
    });
    int status = cli.execute(args);
    outWriter.flush();
    errWriter.flush();
    return status;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
