package org.gradc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradc.Model;
import org.gradc.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradc check FILE [--model M]}: each model's inputs, params, shapes and size. */
@Command(name = "check", description = "Parse and check a .grad file; print each model's shapes.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the .grad file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "only this model (default: all)")
  String model;

  @Option(names = "--trust-rules",
      description = "use defs' grad clauses without comparing them with central differences")
  boolean trustRules;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Program program = SourceLoader.load(file, err, trustRules);
      SourceLoader.warn(err, program);
      List<Model> models = model == null ? program.models()
          : List.of(SourceLoader.select(program, model));
      for (Model m : models) {
        out.print(m.summary());
      }
      out.flush();
      return 0;
    } catch (SourceLoader.UserError e) {
      SourceLoader.report(err, e);
      return 1;
    }
  }
}
