package org.gradc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.ValuesFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc eval FILE [--model M] --values V.json [--seed N]}: loss, outputs and gradients of
 * the generated code as JSON on stdout, nothing else.
 */
@Command(name = "eval", description = "Loss, outputs and gradients for given values, as JSON.")
final class EvalCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Option(names = "--values", paramLabel = "V.json", required = true,
      description = "parameter values (optional) and a batch of inputs and targets")
  Path values;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers for parameters not in V.json (default: 42)")
  long seed;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      CompiledModel m = model.compile();
      ValuesFile.Values v = SourceLoader.data(values, () -> ValuesFile.read(values, m, seed));
      double[] grad = new double[m.parameterCount()];
      double loss = m.lossAndGradient(v.theta(), v.inputs(), v.targets(), v.batchSize(), grad);
      double[] outputs = m.predict(v.theta(), v.inputs(), v.targets(), v.batchSize());
      out.print(ValuesFile.result(m, v, loss, grad, outputs));
    });
  }
}
