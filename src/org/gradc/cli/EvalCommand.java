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
 * the generated code as JSON on stdout, nothing else; with a {@code "direction"} in the values,
 * also the Hessian-vector product {@code "hvp"}.
 */
@Command(name = "eval", description = "Loss, outputs and gradients for given values, as JSON.")
final class EvalCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  PrecisionArg precision;

  @Option(names = "--values", paramLabel = "V.json", required = true,
      description = "parameter values (optional), a batch of inputs and targets, and a "
          + "direction for a Hessian-vector product (optional)")
  Path values;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "seed of random initializers for parameters not in V.json (default: 42)")
  long seed;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      CompiledModel m = precision.compile(model);
      ValuesFile.Values v = SourceLoader.data(values, () -> ValuesFile.read(values, m, seed));
      double[] grad = new double[m.parameterCount()];
      double loss = m.lossAndGradient(v.theta(), v.inputs(), v.targets(), v.batchSize(), grad);
      double[] outputs = m.predict(v.theta(), v.inputs(), v.targets(), v.batchSize());
      double[] hvp = null;
      if (v.direction() != null) {
        hvp = new double[m.parameterCount()];
        m.hessianVectorProduct(v.theta(), v.direction(), v.inputs(), v.targets(), v.batchSize(),
            hvp);
      }
      out.print(ValuesFile.result(m, v, loss, grad, outputs, hvp));
    });
  }
}
