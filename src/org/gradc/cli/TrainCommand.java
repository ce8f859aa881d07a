package org.gradc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.gradc.ir.Numbers;
import org.gradc.runtime.CompiledModel;
import org.gradc.diag.UserText;
import org.gradc.train.AtomicFile;
import org.gradc.train.DataSet;
import org.gradc.train.Metrics;
import org.gradc.train.Optimizer;
import org.gradc.train.ParamsFile;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradc train FILE --data D.csv …}: trains a model on a CSV data set with the settings of
 * its {@code train} block, overridden by flags. Stdout gets the summary (settings, final loss,
 * accuracy for classification data, the predictions when the data set has at most 16 rows);
 * stderr gets the progress bar (when stdout is a terminal, or with {@code --progress}) or, otherwise,
 * about ten progress lines, and the errors. Nothing is written when the data is bad.
 */
@Command(name = "train", description = "Train on a CSV data set; print the final loss; save parameters.")
final class TrainCommand implements Callable<Integer> {
  /** Data sets up to this many rows get their predictions printed. */
  static final int SHOW_PREDICTIONS = 16;

  @Spec
  CommandSpec spec;

  @Mixin
  ModelArgs args;

  @Option(names = "--data", required = true, paramLabel = "D.csv", description = "training data (CSV)")
  Path data;

  @Option(names = "--epochs", paramLabel = "N", description = "passes over the data (default: train block, else 100)")
  Integer epochs;

  @Option(names = "--batch", paramLabel = "B", description = "examples per step (default: train block, else 32)")
  Integer batch;

  @Option(names = "--lr", paramLabel = "X", description = "learning rate (default: train block, else the optimizer's)")
  Double lr;

  @Option(names = "--optimizer", paramLabel = "O",
      description = "sgd, momentum or adam (default: train block, else sgd)")
  String optimizer;

  @Option(names = "--seed", paramLabel = "N",
      description = "seed of the initial parameters and the shuffle (default: train block, else 42)")
  Long seed;

  @Option(names = "--clip", paramLabel = "NORM", description = "global gradient-norm clipping (0: off)")
  Double clip;

  @Option(names = "--clip-per-example", paramLabel = "NORM",
      description = "clip each example's gradient to this L2 norm before the batch mean (0: off)")
  Double clipPerExample;

  @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 weight decay added to the gradient (0: off)")
  Double weightDecay;

  @Option(names = "--save", paramLabel = "P.json", description = "write the trained parameters (atomically)")
  Path save;

  @Option(names = "--resume", paramLabel = "P.json", description = "start from saved parameters")
  Path resume;

  @Option(names = "--plot", paramLabel = "loss.png", description = "write the loss curve as a PNG")
  Path plot;

  @Option(names = "--val", paramLabel = "V.csv", description = "validation data: loss reported per epoch")
  Path val;

  @Option(names = "--ignore-extra", description = "skip CSV columns that are no input or target")
  boolean ignoreExtra;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  @Option(names = "--progress", description = "draw the progress bar even when stdout is not a terminal")
  boolean progress;

  /** What a training run starts from: the model, its trainer, the data and the parameters. */
  private record Setup(CompiledModel m, Trainer trainer, DataSet train, DataSet validation,
      double[] theta) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Setup run;
    try {
      run = setup();
    } catch (SourceLoader.UserError e) {
      SourceLoader.report(err, e);
      return 1;
    }
    CompiledModel m = run.m();
    out.println("model " + m.name() + " (" + args.file + "): " + m.parameterCount() + " parameters"
        + (resume != null ? ", resumed from " + resume : ""));
    out.println("data  " + data + ": " + run.train().examples() + " examples"
        + (run.validation() != null ? "; validation " + val + ": " + run.validation().examples()
            + " examples" : ""));
    out.println("train " + run.trainer());
    out.flush();

    List<Double> valLosses = new ArrayList<>();
    TrainResult result = fit(run, err, valLosses);
    if (result.status() == TrainResult.Status.DIVERGED) {
      err.println("gradc: error: the loss or its gradient became NaN or infinite at epoch "
          + result.stopEpoch() + ", step " + result.stopStep()
          + "; training stopped, keeping the last parameters that gave a finite loss"
          + " (try a smaller --lr, or --clip)");
      if (save != null) {
        write(err, out, m, run.theta());
      }
      writePlot(err, out, m, result, valLosses);
      return 1;
    }
    report(out, run, result);
    int status = 0;
    if (save != null && !write(err, out, m, run.theta())) {
      status = 1;
    }
    if (!writePlot(err, out, m, result, valLosses)) {
      status = 1;
    }
    out.flush();
    return status;
  }

  /** Compiles, configures and reads everything, checking where results go before training. */
  private Setup setup() throws SourceLoader.UserError {
    CompiledModel m = args.checked(true).compile();
    Trainer trainer = configure(m);
    checkWritable(save, "");
    checkWritable(plot, "the plot ");
    DataSet train = SourceLoader.data(data,
        () -> DataSet.readCsv(data, m, DataSet.Targets.REQUIRED, ignoreExtra));
    DataSet validation = val == null ? null : SourceLoader.data(val,
        () -> DataSet.readCsv(val, m, DataSet.Targets.REQUIRED, ignoreExtra));
    long initSeed = seed != null ? seed : m.trainDefaults().seed().orElse(Trainer.DEFAULT_SEED);
    double[] theta = resume != null ? SourceLoader.data(resume, () -> ParamsFile.read(resume, m))
        : m.initialParameters(initSeed);
    return new Setup(m, trainer, train, validation, theta);
  }

  /** Trains with the progress bar or the epoch lines; validation losses go to {@code valLosses}. */
  private TrainResult fit(Setup run, PrintWriter err, List<Double> valLosses) {
    DataSet v = run.validation();
    Trainer t = run.trainer();
    DataSet train = run.train();
    boolean bar = !quiet && (progress || System.console() != null);
    int epochsToRun = t.epochs();
    int logEvery = Math.max(1, epochsToRun / 10);
    try (TrainProgress pb = bar ? new TrainProgress(err, epochsToRun, t.stepsPerEpoch(train.examples())) : null) {
      return t.fit(run.theta(), train.inputs(), train.targets(), train.examples(), new TrainListener() {
        @Override
        public boolean onStep(int epoch, int step, int batchSize, double loss) {
          if (pb != null) {
            pb.step(epoch, batchSize, loss);
          }
          return true;
        }

        @Override
        public boolean onEpoch(int epoch, double loss, double[] params) {
          double vl = Double.NaN;
          if (v != null) {
            vl = t.loss(params, v.inputs(), v.targets(), v.examples());
            valLosses.add(vl);
          }
          if (pb != null) {
            pb.epoch(epoch, loss, vl);
          } else if (!quiet && (epoch % logEvery == 0 || epoch == epochsToRun)) {
            err.println("epoch " + epoch + "/" + epochsToRun + "  loss " + num(loss)
                + (v != null ? "  val " + num(vl) : ""));
            err.flush();
          }
          return true;
        }
      });
    }
  }

  /** Time and throughput, the final loss, accuracy, validation and, for small data, every example. */
  private void report(PrintWriter out, Setup run, TrainResult result) {
    CompiledModel m = run.m();
    Trainer trainer = run.trainer();
    DataSet train = run.train();
    DataSet validation = run.validation();
    double[] theta = run.theta();
    out.println("trained " + result.epochs() + " epochs (" + result.steps() + " steps) in "
        + String.format(Locale.ROOT, "%.2f", result.seconds()) + " s, " + rate(result.throughput())
        + " examples/s");
    out.println("final loss " + num(result.finalLoss()) + " (mean over the " + train.examples()
        + " training examples at the trained parameters; last epoch's running mean "
        + num(result.lastEpochLoss()) + ")");
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
      out.println("validation loss " + num(vloss)
          + (vacc.isPresent() ? ", accuracy " + percent(vacc.getAsDouble(), validation.examples()) : ""));
    }
    if (train.examples() <= SHOW_PREDICTIONS) {
      printPredictions(out, m, train, predictions);
    }
  }

  private Trainer configure(CompiledModel m) {
    Trainer t = Trainer.fromDefaults(m);
    CommandLine cl = spec.commandLine();
    try {
      if (optimizer != null && !optimizer.equals(t.optimizer().kind())) {
        t = t.optimizer(Optimizer.byName(optimizer));
      }
      if (lr != null) {
        t = t.optimizer(t.optimizer().withLearningRate(lr));
      }
      if (batch != null) {
        t = t.batchSize(batch);
      }
      if (epochs != null) {
        t = t.epochs(epochs);
      }
      if (seed != null) {
        t = t.seed(seed);
      }
      if (clip != null) {
        t = t.clip(clip);
      }
      if (weightDecay != null) {
        t = t.weightDecay(weightDecay);
      }
      if (clipPerExample != null) {
        t = t.clipPerExample(clipPerExample);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    return t;
  }

  private boolean write(PrintWriter err, PrintWriter out, CompiledModel m, double[] theta) {
    try {
      ParamsFile.write(save, m, theta);
      out.println("saved parameters to " + save);
      return true;
    } catch (IOException e) {
      err.println("gradc: error: cannot write '" + UserText.escape(save.toString()) + "': "
          + AtomicFile.reason(e));
      return false;
    }
  }

  /** A usage of {@code --save} or {@code --plot} that could not be written is reported up front. */
  private static void checkWritable(Path path, String what) throws SourceLoader.UserError {
    String why = path == null ? null : AtomicFile.cannotWrite(path);
    if (why != null) {
      throw new SourceLoader.UserError("cannot write " + what + "'" + path + "': " + why);
    }
  }

  private boolean writePlot(PrintWriter err, PrintWriter out, CompiledModel m, TrainResult r, List<Double> valLosses) {
    if (plot == null || r.epochs() == 0) {
      return true;
    }
    double[] vl = null;
    if (!valLosses.isEmpty()) {
      vl = valLosses.stream().mapToDouble(Double::doubleValue).limit(r.epochs()).toArray();
    }
    try {
      LossPlot.write(plot, m.name() + " — loss per epoch", r.epochLosses(), vl);
      out.println("saved loss plot to " + plot);
      return true;
    } catch (IOException | RuntimeException | Error e) {
      err.println("gradc: error: cannot write the plot '" + UserText.escape(plot.toString()) + "': "
          + (e instanceof IOException io ? AtomicFile.reason(io) : UserText.escape(String.valueOf(e.getMessage()))));
      return false;
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
        row.add(num(d.inputs()[e * inW + i]));
      }
      for (int i = 0; i < tgW; i++) {
        row.add(num(d.targets()[e * tgW + i]));
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

  /** Six significant digits, without trailing zeros. */
  static String num(double v) {
    return Numbers.significant(v, 6);
  }

  /** A rate as 950, 12.3k or 4.56M. */
  static String rate(double perSecond) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      return "-";
    }
    if (perSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
    }
    if (perSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }
}
