package org.gradc.cli;

import org.gradc.diag.UserText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc grad FILE [--model M] [--latex] [--order 1|2]}: the simplified derivative for every
 * parameter, or the simplified Hessian of a model with a few scalar parameters.
 */
@Command(name = "grad", description = "Print the simplified derivative of the loss for every parameter.")
final class GradCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Option(names = "--latex", description = "LaTeX instead of Unicode math")
  boolean latex;

  @Option(names = "--order", paramLabel = "N", defaultValue = "1",
      description = "1: the gradient (default); 2: the Hessian, for at most 6 scalar parameters")
  int order;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (order != 1 && order != 2) {
      throw new ParameterException(spec.commandLine(), "--order must be 1 or 2, got " + order);
    }
    return args.run((model, out) -> {
      String text;
      try {
        text = order == 1 ? model.gradientText(latex) : model.hessianText(latex);
      } catch (IllegalArgumentException e) {
        throw new SourceLoader.UserError(UserText.escape(e.getMessage()));
      }
      out.println("model " + model.name() + "  (" + UserText.escape(model.file().name()) + ")");
      out.print(text);
    });
  }
}
