package org.gradc.cli;

import org.gradc.diag.UserText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.CheckedProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradc check FILE [--model M]}: each model's inputs, params, shapes and size. */
@Command(name = "check", description = "Parse and check a .grad file; print each model's shapes.")
final class CheckCommand implements Callable<Integer> {
  private static final String INDENT = "  ";
  private static final int LABEL = 14;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the .grad file")
  Path file;

  @Option(names = "--model", paramLabel = "M", description = "only this model (default: all)")
  String model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      CheckedProgram program = SourceLoader.load(file, err);
      List<CheckedModel> models = model == null ? program.models()
          : List.of(SourceLoader.select(program, model));
      for (CheckedModel m : models) {
        out.print(describe(m));
      }
      out.flush();
      return 0;
    } catch (SourceLoader.UserError e) {
      SourceLoader.report(err, e);
      return 1;
    }
  }

  static String describe(CheckedModel m) {
    StringBuilder b = new StringBuilder();
    b.append("model ").append(m.name()).append("  (").append(UserText.escape(m.file().name())).append(")\n");
    values(b, "inputs", m.inputs());
    values(b, "targets", m.targets());
    int nameWidth = m.params().stream().mapToInt(p -> p.name().length()).max().orElse(0);
    int shapeWidth = m.params().stream().mapToInt(p -> p.node().shape().toString().length()).max().orElse(0);
    for (int i = 0; i < m.params().size(); i++) {
      CheckedModel.Param p = m.params().get(i);
      label(b, i == 0 ? "params" : "");
      b.append(pad(p.name(), nameWidth)).append(' ').append(pad(p.node().shape().toString(), shapeWidth))
          .append("  ").append(p.init().describe()).append('\n');
    }
    values(b, "consts", m.consts());
    values(b, "intermediates", m.intermediates());
    values(b, "outputs", m.outputs());
    label(b, "loss");
    b.append(m.loss().shape()).append(" (scalar, mean over the batch)\n");
    label(b, "parameters");
    b.append(m.parameterCount()).append('\n');
    return b.toString();
  }

  private static void values(StringBuilder b, String label, List<CheckedModel.Value> values) {
    if (values.isEmpty()) {
      if (!label.equals("consts")) {
        label(b, label);
        b.append("(none)\n");
      }
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      label(b, i == 0 ? label : "");
      b.append(values.get(i).name()).append(' ').append(values.get(i).node().shape()).append('\n');
    }
  }

  private static void label(StringBuilder b, String label) {
    b.append(INDENT).append(pad(label, LABEL));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
