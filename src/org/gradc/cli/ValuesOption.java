package org.gradc.cli;

import java.nio.file.Path;
import java.util.Map;
import org.gradc.Model;
import org.gradc.runtime.ModelLayout;
import org.gradc.train.ValuesFile;
import picocli.CommandLine.Option;

/** The {@code --values V.json [--seed N]} options of the commands that show numbers. */
final class ValuesOption {
  @Option(names = "--values", paramLabel = "V.json",
      description = "parameters and a batch, as for gradc eval")
  Path values;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers for params not in --values (default: 42)")
  long seed;

  /** The leaves and batch size read for {@code model}, or null without --values. */
  record Read(Map<String, double[]> leaves, int batchSize) {}

  Read read(Model model) throws SourceLoader.UserError {
    if (values == null) {
      return null;
    }
    // the same reader and initializers as gradc eval, so every view shows the same numbers
    ModelLayout layout = model.layout();
    ValuesFile.Values read = SourceLoader.data(values, () -> ValuesFile.read(values, layout, seed));
    return new Read(read.leaves(layout), read.batchSize());
  }
}
