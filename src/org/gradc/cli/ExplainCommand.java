package org.gradc.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gradc.runtime.ModelLayout;
import org.gradc.train.ValuesFile;
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

  @Option(names = "--values", paramLabel = "V.json",
      description = "parameters and a batch, as for gradc eval")
  Path values;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers for params not in --values (default: 42)")
  long seed;

  @Option(names = "--example", paramLabel = "N",
      description = "the example of the --values batch whose numbers are shown, from 0 (default: 0)")
  Integer example;

  @Option(names = "--markdown", description = "Markdown with LaTeX math instead of plain text")
  boolean markdown;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (example != null && (values == null || example < 0)) {
      throw new ParameterException(spec.commandLine(), values == null
          ? "--example needs --values V.json" : "--example must be 0 or more, not " + example);
    }
    int shown = example == null ? 0 : example;
    return args.run((model, out) -> {
      Map<String, double[]> leaves = null;
      int batch = 0;
      if (values != null) {
        // the same reader and initializers as gradc eval, so both show the same numbers
        ModelLayout layout = model.layout();
        ValuesFile.Values read = SourceLoader.data(values, () -> ValuesFile.read(values, layout, seed));
        leaves = read.leaves(layout);
        batch = read.batchSize();
        if (shown >= batch) {
          throw new SourceLoader.UserError("--example " + shown + ": " + values + " has "
              + (batch == 1 ? "one example (0)" : batch + " examples (0 to " + (batch - 1) + ")"));
        }
      }
      out.print(model.explain(leaves, batch, shown, markdown));
    });
  }
}
