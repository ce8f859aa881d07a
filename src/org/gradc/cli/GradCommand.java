package org.gradc.cli;

import org.gradc.diag.UserText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gradc grad FILE [--model M] [--latex]}: the simplified derivative for every parameter. */
@Command(name = "grad", description = "Print the simplified derivative of the loss for every parameter.")
final class GradCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Option(names = "--latex", description = "LaTeX instead of Unicode math")
  boolean latex;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      out.println("model " + model.name() + "  (" + UserText.escape(model.file().name()) + ")");
      out.print(model.gradientText(latex));
    });
  }
}
