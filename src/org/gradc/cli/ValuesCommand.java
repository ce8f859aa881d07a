package org.gradc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gradc.train.AtomicFile;
import org.gradc.train.ValuesFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradc values FILE [--model M] [-o V.json] [--seed N]}: a values file to edit for
 * {@code eval} and {@code explain --values}, every parameter at its initial value and a batch of
 * one example of zeros.
 */
@Command(name = "values",
    description = "Write a values file to edit: initial parameters and one example of zeros.")
final class ValuesCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "V.json",
      description = "write the file instead of printing it")
  Path output;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers (default: 42, as for eval and explain)")
  long seed;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      String json = ValuesFile.template(model.layout(), seed);
      if (output == null) {
        out.print(json);
        return;
      }
      try {
        AtomicFile.write(output, json.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new SourceLoader.UserError("cannot write '" + output + "': " + AtomicFile.reason(e));
      }
      spec.commandLine().getErr().println("wrote " + output);
    });
  }
}
