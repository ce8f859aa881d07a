package org.gradc.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import org.gradc.diag.UserText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gradc} command line. Exit status: 0 ok, 1 user error (bad file, bad data, failed
 * gradcheck), 2 usage error. Errors in a {@code .grad} file go to stderr as
 * {@code FILE:LINE:COL: error: …} with the source line and a caret; never a stack trace.
 */
@Command(name = "gradc", mixinStandardHelpOptions = true, version = "gradc 0.1.0",
    scope = CommandLine.ScopeType.INHERIT,
    description = "Compiles a small neural-network language to specialized Java training code.")
public final class Main implements Runnable {
  /** The commands, in the order help lists them. */
  private static final List<Class<?>> COMMANDS = List.of(CheckCommand.class, GradCommand.class,
      ExplainCommand.class, EmitCommand.class, EvalCommand.class, ValuesCommand.class,
      GradcheckCommand.class, TrainCommand.class, PredictCommand.class, GraphCommand.class);

  private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs gradc with the given arguments; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    // picocli registers its converters for java.sql and java.time types through reflection,
    // loading and initializing some 130 classes at every start; no option of gradc has such a type
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*,java\\.time\\..*");
    }
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine cli = new CommandLine(new Main());
    commandsFor(args).forEach(c -> cli.addSubcommand(c.getAnnotation(Command.class).name(), c));
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    cli.setExecutionExceptionHandler((ex, line, parsed) -> {
      errWriter.println("gradc: internal error: " + UserText.escape(String.valueOf(ex)));
      return 1;
    });
    cli.setParameterExceptionHandler(Main::usageError);
    int status;
    try {
      status = cli.execute(args);
    } catch (OutOfMemoryError e) {
      errWriter.println("gradc: error: " + SourceLoader.outOfMemory(null));
      status = 1;
    }
    if (outWriter.checkError()) {
      // a full disk, a closed pipe: what the command printed did not arrive
      errWriter.println("gradc: error: cannot write to standard output");
      status = status == 0 ? 1 : status;
    }
    errWriter.flush();
    return status;
  }

  /**
   * The commands to register: only the one named first when there is one, since building the
   * model of every command's options is a good part of a short command's run (the others are
   * only needed to list or suggest commands).
   */
  private static List<Class<?>> commandsFor(String[] args) {
    if (args.length > 0) {
      for (Class<?> c : COMMANDS) {
        if (c.getAnnotation(Command.class).name().equals(args[0])) {
          return List.of(c);
        }
      }
    }
    return COMMANDS;
  }

  /**
   * A usage error as one line, {@code gradc: error: MESSAGE (see gradc CMD --help)}, with the
   * arguments quoted in the message made safe to print; a mistyped option adds picocli's
   * suggestions.
   */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("gradc: error: " + UserText.escape(ex.getMessage()) + " (see "
        + cmd.getCommandSpec().qualifiedName() + " --help)");
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
