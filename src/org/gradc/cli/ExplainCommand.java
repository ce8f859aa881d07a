package org.gradc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradc explain FILE [--model M] [--values V.json [--example N]] [--seed N] [--markdown]}:
 * the forward equations, the loss, the δ recursion and the parameter gradients of a model, with
 * the numbers of one example at every step when values are given.
 */
@Command(name = "explain",
    description = "The backpropagation story of a network, with numbers given --values.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  ValuesOption values;

  @Option(names = "--example", paramLabel = "N",
      description = "the example of the --values batch whose numbers are shown, from 0 (default: 0)")
  Integer example;

  @Option(names = "--markdown", description = "Markdown with LaTeX math instead of plain text")
  boolean markdown;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (example != null && (values.values == null || example < 0)) {
      throw new ParameterException(spec.commandLine(), values.values == null
          ? "--example needs --values V.json" : "--example must be 0 or more, not " + example);
    }
    int shown = example == null ? 0 : example;
    return args.run((model, out) -> {
      ValuesOption.Read read = values.read(model);
      if (read != null && shown >= read.batchSize()) {
        int batch = read.batchSize();
        throw new SourceLoader.UserError("--example " + shown + ": " + values.values + " has "
            + (batch == 1 ? "one example (0)" : batch + " examples (0 to " + (batch - 1) + ")"));
      }
      out.print(model.explain(read == null ? null : read.leaves(),
          read == null ? 0 : read.batchSize(), shown, markdown));
    });
  }
}
