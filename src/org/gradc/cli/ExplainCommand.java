package org.gradc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc explain FILE [--model M] [--values V.json] [--seed N] [--markdown]}: the forward
 * equations, the loss, the δ recursion and the parameter gradients of a model, with the numbers
 * at every step when values are given.
 */
@Command(name = "explain",
    description = "The backpropagation story of a network, with numbers given --values.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  ValuesOption values;

  @Option(names = "--markdown", description = "Markdown with LaTeX math instead of plain text")
  boolean markdown;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      ValuesOption.Read read = values.read(model);
      out.print(model.explain(read == null ? null : read.leaves(),
          read == null ? 0 : read.batchSize(), markdown));
    });
  }
}
