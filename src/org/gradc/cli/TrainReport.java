package org.gradc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.DataSet;
import org.gradc.train.Metrics;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;

/**
 * The summary {@code gradc train} prints after training: time and throughput, the final loss at
 * the kept parameters, accuracy, validation and, for small data sets, every example.
 */
final class TrainReport {
  /** Data sets up to this many rows get their predictions printed. */
  static final int SHOW_PREDICTIONS = 16;

  private TrainReport() {}

  /**
   * @param firstEpoch the first epoch this run trained (after a resume, not 1)
   * @param restored whether early stopping put back an earlier epoch's parameters
   */
  static void print(PrintWriter out, Trainer trainer, DataSet train, DataSet validation,
      double[] theta, TrainResult result, int firstEpoch, boolean restored) {
    CompiledModel m = trainer.model();
    int last = result.state().epoch();
    out.println("trained " + (firstEpoch == 1 ? last + " epochs" : "epochs " + firstEpoch + "–" + last)
        + " (" + result.steps() + " steps) in " + String.format(Locale.ROOT, "%.2f", result.seconds())
        + " s, " + TrainCommand.rate(result.throughput()) + " examples/s (training steps only)");
    double finalLoss = restored ? trainer.loss(theta, train.inputs(), train.targets(), train.examples())
        : result.finalLoss();
    out.println("final loss " + TrainCommand.num(finalLoss) + " (mean over the " + train.examples()
        + " training examples at the " + (restored ? "kept" : "trained") + " parameters; last epoch's"
        + " running mean " + TrainCommand.num(result.lastEpochLoss()) + ")");
    double[] predictions = trainer.predict(theta, train.inputs(), train.targets(), train.examples());
    OptionalDouble acc = Metrics.accuracy(m, predictions, train.targets(), train.examples());
    if (acc.isPresent()) {
      out.println("accuracy " + percent(acc.getAsDouble(), train.examples()));
    }
    if (validation != null) {
      double vloss = trainer.loss(theta, validation.inputs(), validation.targets(), validation.examples());
      double[] vp = trainer.predict(theta, validation.inputs(), validation.targets(),
          validation.examples());
      OptionalDouble vacc = Metrics.accuracy(m, vp, validation.targets(), validation.examples());
      out.println("validation loss " + TrainCommand.num(vloss)
          + (vacc.isPresent() ? ", accuracy " + percent(vacc.getAsDouble(), validation.examples()) : ""));
    }
    if (train.examples() <= SHOW_PREDICTIONS) {
      printPredictions(out, m, train, predictions);
    }
  }

  private static void printPredictions(PrintWriter out, CompiledModel m, DataSet d, double[] predictions) {
    List<String> in = DataSet.columns(m.inputs());
    List<String> tg = DataSet.columns(m.targets());
    List<String> op = DataSet.columns(m.outputs());
    List<String> header = new ArrayList<>(in);
    header.addAll(tg);
    header.addAll(op);
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    int inW = m.inputWidth();
    int tgW = m.targetWidth();
    int outW = m.outputWidth();
    for (int e = 0; e < d.examples(); e++) {
      List<String> row = new ArrayList<>();
      for (int i = 0; i < inW; i++) {
        row.add(TrainCommand.num(d.inputs()[e * inW + i]));
      }
      for (int i = 0; i < tgW; i++) {
        row.add(TrainCommand.num(d.targets()[e * tgW + i]));
      }
      for (int i = 0; i < outW; i++) {
        row.add(String.format(Locale.ROOT, "%.4f", predictions[e * outW + i]));
      }
      rows.add(row);
    }
    int[] width = new int[header.size()];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    out.println("predictions");
    for (List<String> row : rows) {
      StringBuilder b = new StringBuilder(" ");
      for (int c = 0; c < row.size(); c++) {
        b.append(' ').append(row.get(c)).append(" ".repeat(width[c] - row.get(c).length()));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  private static String percent(double fraction, int examples) {
    long right = Math.round(fraction * examples);
    return String.format(Locale.ROOT, "%.2f%% (%d/%d)", 100 * fraction, right, examples);
  }

}
