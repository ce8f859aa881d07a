package org.gradc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gradc.explain.ExplainException;
import org.gradc.explain.Explainer;
import org.gradc.explain.Explanation;
import org.gradc.explain.StoryWriter;
import org.gradc.explain.Values;
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

  @Option(names = "--values", paramLabel = "V.json",
      description = "parameters and a batch, as for gradc eval")
  Path values;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers for params not in --values (default: 42)")
  long seed;

  @Option(names = "--markdown", description = "Markdown with LaTeX math instead of plain text")
  boolean markdown;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      Values v = null;
      if (values != null) {
        String json;
        try {
          json = Files.readString(values, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw new SourceLoader.UserError("cannot read '" + values + "': no such file");
        } catch (IOException e) {
          throw new SourceLoader.UserError("cannot read '" + values + "': " + e.getMessage());
        }
        try {
          v = Values.read(json, model, seed);
        } catch (ExplainException e) {
          throw new SourceLoader.UserError(values + ": " + e.getMessage());
        }
      }
      Explanation ex = Explainer.explain(model, ModelArgs.gradients(model), v);
      out.print(markdown ? StoryWriter.markdown(ex) : StoryWriter.text(ex));
    });
  }
}
