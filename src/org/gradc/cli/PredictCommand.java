package org.gradc.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradc.ir.Numbers;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.ParamsFile;
import org.gradc.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc predict FILE --params P.json --data D.csv}: the model's outputs for every row as CSV
 * on stdout, headed by the output columns ({@code yhat}, or {@code yhat[0]}, …),
 * numbers at full double precision. Target columns in the data are read only by outputs computed
 * from targets (such as a residual {@code yhat - y}); such a model needs them.
 */
@Command(name = "predict", description = "Write the model's predictions for a CSV data set as CSV.")
final class PredictCommand implements Callable<Integer> {
  private static final int BATCH = 256;

  @Mixin
  ModelArgs args;

  @Option(names = "--params", required = true, paramLabel = "P.json", description = "trained parameters")
  Path params;

  @Option(names = "--data", required = true, paramLabel = "D.csv", description = "inputs (CSV)")
  Path data;

  @Option(names = "--ignore-extra", description = "skip CSV columns that are no input or target")
  boolean ignoreExtra;

  @Override
  public Integer call() {
    return args.run((checked, out) -> {
      CompiledModel m = checked.compile();
      double[] theta = SourceLoader.data(params, () -> ParamsFile.read(params, m));
      DataSet d = SourceLoader.data(data, () -> DataSet.readCsv(data, m, DataSet.Targets.OPTIONAL, ignoreExtra));
      if (m.predictReadsTargets() && !d.hasTargets()) {
        throw new DataException(data.toString(), missingTargets(m));
      }
      if ((long) d.examples() * m.outputWidth() > Integer.MAX_VALUE - 8) {
        throw new SourceLoader.UserError(data + ": " + d.examples() + " rows × " + m.outputWidth()
            + " outputs are more predictions than one run can hold; split the file");
      }
      double[] predictions = Trainer.of(m, org.gradc.train.Optimizer.sgd(1)).batchSize(BATCH)
          .predict(theta, d.inputs(), d.hasTargets() ? d.targets() : null, d.examples());
      List<String> header = DataSet.columns(m.outputs());
      StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
      int w = m.outputWidth();
      for (int e = 0; e < d.examples(); e++) {
        for (int i = 0; i < w; i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append(Numbers.shortest(predictions[e * w + i]));
        }
        b.append('\n');
      }
      out.print(b);
    });
  }

  /** Which output needs which target columns, for data that has none. */
  private static String missingTargets(CompiledModel m) {
    StringBuilder b = new StringBuilder();
    for (var o : m.outputs()) {
      List<String> read = m.targetsReadBy(o.name());
      List<String> targets = m.targets().stream().filter(t -> read.contains(t.name()))
          .flatMap(t -> DataSet.columns(t).stream()).toList();
      if (!targets.isEmpty()) {
        b.append(b.length() == 0 ? "" : "; ").append("output '").append(o.name())
            .append("' is computed from targets: add the column").append(targets.size() == 1 ? " " : "s ")
            .append(String.join(", ", targets));
      }
    }
    return b.toString();
  }
}
