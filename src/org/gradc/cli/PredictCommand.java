package org.gradc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gradc.ir.Numbers;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataException;
import org.gradc.train.DataSet;
import org.gradc.train.Checkpoint;
import org.gradc.train.ColumnMap;
import org.gradc.train.Metrics;
import org.gradc.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc predict FILE --params P.json --data D.csv}: the model's outputs for every row as CSV
 * on stdout, headed by the output columns ({@code yhat}, or {@code yhat[0]}, …),
 * numbers at full double precision. Target columns in the data are read only by outputs computed
 * from targets (such as a residual {@code yhat - y}); such a model needs them. When the
 * parameters were trained from a label column, a last column of that name gives the predicted
 * class (the argmax of the first output as wide as the target).
 */
@Command(name = "predict", description = "Write the model's predictions for a CSV data set as CSV.")
final class PredictCommand implements Callable<Integer> {
  private static final int BATCH = 256;

  @Mixin
  ModelArgs args;

  @Mixin
  PrecisionArg precision;

  @Option(names = "--params", required = true, paramLabel = "P.json", description = "trained parameters")
  Path params;

  @Option(names = "--data", required = true, paramLabel = "D.csv", description = "inputs (CSV)")
  Path data;

  @Mixin
  DataArgs columns;

  @Override
  public Integer call() {
    return args.run((checked, out) -> {
      CompiledModel m = precision.compileForTraining(checked);
      Checkpoint saved = SourceLoader.data(params, () -> Checkpoint.read(params, m));
      ColumnMap map = columns.given() ? columns.map(m, classes(saved)) : saved.columns();
      DataSet d = SourceLoader.data(data, () -> DataSet.readCsv(data, m, DataSet.Targets.OPTIONAL, map,
          columns.ignoreExtra));
      if (m.predictReadsTargets() && !d.hasTargets()) {
        throw new DataException(data.toString(), missingTargets(m));
      }
      if ((long) d.examples() * m.outputWidth() > Integer.MAX_VALUE - 8) {
        throw new SourceLoader.UserError(data + ": " + d.examples() + " rows × " + m.outputWidth()
            + " outputs are more predictions than one run can hold; split the file");
      }
      double[] predictions = Trainer.of(m, org.gradc.train.Optimizer.sgd(1)).batchSize(BATCH)
          .predict(saved.params(), d.inputs(), d.hasTargets() ? d.targets() : null, d.examples());
      List<String> header = new ArrayList<>(DataSet.columns(m.outputs()));
      Labelled labelled = Labelled.of(m, map);
      if (labelled != null) {
        header.add(labelled.label().column());
      }
      StringBuilder b = new StringBuilder(String.join(",", header.stream().map(PredictCommand::csv).toList()))
          .append('\n');
      int w = m.outputWidth();
      for (int e = 0; e < d.examples(); e++) {
        for (int i = 0; i < w; i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append(Numbers.shortest(predictions[e * w + i]));
        }
        if (labelled != null) {
          b.append(',').append(csv(labelled.classOf(predictions, e * w)));
        }
        b.append('\n');
      }
      out.print(b);
    });
  }

  /** The class names a saved run found, for reading its label column again. */
  private static List<String> classes(Checkpoint saved) {
    return saved.columns().labels().values().stream().findFirst().map(ColumnMap.Label::classes)
        .orElse(List.of());
  }

  /** A CSV field: quoted when it holds a comma, a quote or a line break. */
  private static String csv(String field) {
    return field.matches("[^,\"\r\n]*") ? field : "\"" + field.replace("\"", "\"\"") + "\"";
  }

  /**
   * The output whose argmax names a class: the first output as wide as the label target (two
   * classes for a single value, thresholded at 0.5, or at 0 when it is a logit), and the label.
   */
  private record Labelled(ColumnMap.Label label, int offset, int width) {
    static Labelled of(CompiledModel m, ColumnMap map) {
      for (var t : m.targets()) {
        var label = map.label(t.name());
        if (label.isEmpty() || label.get().classes().isEmpty()) {
          continue;
        }
        for (var o : m.outputs()) {
          if (o.size() == t.size()) {
            return new Labelled(label.get(), o.offset(), o.size());
          }
        }
      }
      return null;
    }

    String classOf(double[] predictions, int row) {
      if (width == 1) {
        double p = predictions[row + offset];
        return label.classes().get(p >= 0.5 ? 1 : 0);
      }
      return label.classes().get(Metrics.argmax(predictions, row + offset, width));
    }
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
