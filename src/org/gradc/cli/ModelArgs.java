package org.gradc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.gradc.Model;
import org.gradc.Program;
import org.gradc.train.DataException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code FILE [--model M]} arguments shared by commands that work on one model. */
final class ModelArgs {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the .grad file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "the model (default: the first)")
  String model;

  @Option(names = "--trust-rules",
      description = "use defs' grad clauses without comparing them with central differences")
  boolean trustRules;

  /** What a command does with the checked model; output goes to {@code out}. */
  interface Action {
    void run(Model model, PrintWriter out) throws SourceLoader.UserError, DataException;
  }

  /** Loads the model, runs the action, and maps user errors to exit status 1. */
  int run(Action action) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      action.run(checked(), out);
      out.flush();
      return 0;
    } catch (SourceLoader.UserError e) {
      SourceLoader.report(err, e);
      return 1;
    } catch (DataException e) {
      SourceLoader.report(err, new SourceLoader.UserError(e.getMessage()));
      return 1;
    }
  }

  /** The selected model, checked (errors go to the command's stderr). */
  Model checked() throws SourceLoader.UserError {
    return checked(false);
  }

  /** The selected model, checked; with {@code warn} the file's warnings go to stderr too. */
  Model checked(boolean warn) throws SourceLoader.UserError {
    PrintWriter err = spec.commandLine().getErr();
    Program program = SourceLoader.load(file, err, trustRules);
    if (warn) {
      SourceLoader.warn(err, program);
    }
    return SourceLoader.select(program, model);
  }
}
