package org.gradc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gradc.ir.Numbers;
import org.gradc.runtime.CompiledModel;
import org.gradc.diag.UserText;
import org.gradc.train.AtomicFile;
import org.gradc.train.Checkpoint;
import org.gradc.train.ColumnMap;
import org.gradc.train.DataSet;
import org.gradc.train.EarlyStopping;
import org.gradc.train.Optimizer;
import org.gradc.train.Schedule;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.TrainState;
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
 * stderr gets the progress line (when stdout is a terminal, or with {@code --progress}) or, otherwise,
 * about ten progress lines, and the errors. Nothing is written when the data is bad.
 */
@Command(name = "train", description = "Train on a CSV data set; print the final loss; save parameters.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ModelArgs args;

  @Mixin
  PrecisionArg precision;

  @Mixin
  DataArgs columns;

  @Option(names = "--data", required = true, paramLabel = "D.csv", description = "training data (CSV)")
  Path data;

  @Option(names = "--epochs", paramLabel = "N", description = "passes over the data, in all when resuming (default: train block, else 100)")
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

  @Option(names = "--save", paramLabel = "P.json",
      description = "write the parameters and the training state (atomically)")
  Path save;

  @Option(names = "--resume", paramLabel = "P.json",
      description = "continue a saved run (parameters, optimizer, schedule, shuffle) up to --epochs")
  Path resume;

  @Option(names = "--plot", paramLabel = "loss.png", description = "write the loss curve as a PNG")
  Path plot;

  @Option(names = "--val", paramLabel = "V.csv", description = "validation data: loss reported per epoch")
  Path val;

  @Option(names = "--schedule", paramLabel = "S",
      description = "learning-rate schedule per step: constant, step(every=N, gamma=G) or cosine(warmup=N)")
  String schedule;

  @Option(names = "--patience", paramLabel = "N",
      description = "stop after N epochs without a lower loss (validation, else training); keep the best epoch")
  Integer patience;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  @Option(names = "--progress", description = "draw the progress line even when stdout is not a terminal")
  boolean progress;

  /**
   * What a training run starts from: the model, its trainer, the column map, the data, the
   * parameters and, when resumed, where the saved run stopped.
   */
  private record Setup(CompiledModel m, Trainer trainer, ColumnMap map, DataSet train,
      DataSet validation, double[] theta, TrainState from) {
    int firstEpoch() {
      return from == null ? 1 : from.epoch() + 1;
    }
  }

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
        + (resume != null ? ", resumed from " + resume + (run.from() != null ? " at epoch "
            + run.from().epoch() : "") : ""));
    out.println("data  " + data + ": " + run.train().examples() + " examples"
        + (run.validation() != null ? "; validation " + val + ": " + run.validation().examples()
            + " examples" : ""));
    run.train().classes().forEach((t, c) -> out.println("      " + t + " from column '"
        + UserText.quote(run.map().labels().get(t).column()) + "': " + c.size() + " classes, "
        + String.join(", ", c.stream().map(UserText::quote).toList())));
    out.println("train " + run.trainer() + (patience != null ? ", patience " + patience : ""));
    out.flush();

    List<Double> valLosses = new ArrayList<>();
    EarlyStopping stopping = patience == null ? null : new EarlyStopping(patience);
    TrainResult result = fit(run, err, valLosses, stopping);
    if (result.status() == TrainResult.Status.DIVERGED) {
      err.println("gradc: error: the loss or its gradient became NaN or infinite at epoch "
          + result.stopEpoch() + ", step " + result.stopStep()
          + "; training stopped, keeping the last parameters that gave a finite loss"
          + " (try a smaller --lr, or --clip)");
      if (save != null) {
        write(err, out, run, result);
      }
      writePlot(err, out, run, result, valLosses);
      return 1;
    }
    boolean restored = stopping != null && stopping.restore(run.theta());
    TrainReport.print(out, run.trainer(), run.train(), run.validation(), run.theta(), result,
        run.firstEpoch(), restored);
    if (restored) {
      out.println("early stopping: kept epoch " + stopping.bestEpoch() + " of " + result.state().epoch()
          + " (lowest " + (run.validation() != null ? "validation" : "running training") + " loss "
          + num(stopping.bestLoss()) + (result.status() == TrainResult.Status.STOPPED
              ? "; none lower in the " + patience + " epochs after it" : "") + ")");
    }
    int status = 0;
    if (save != null && !write(err, out, run, result)) {
      status = 1;
    }
    if (!writePlot(err, out, run, result, valLosses)) {
      status = 1;
    }
    out.flush();
    return status;
  }

  /** Compiles, configures and reads everything, checking where results go before training. */
  private Setup setup() throws SourceLoader.UserError {
    CompiledModel m = precision.compileForTraining(args.checked(true));
    Trainer configured = configure(m);
    checkWritable(save, "");
    checkWritable(plot, "the plot ");
    Checkpoint saved = resume == null ? null : SourceLoader.data(resume, () -> Checkpoint.read(resume, m));
    TrainState from = saved == null ? null : saved.state().orElse(null);
    Trainer trainer = from != null && seed == null ? configured.seed(from.seed()) : configured;
    ColumnMap map = columnMap(m, saved);
    DataSet train = SourceLoader.data(data,
        () -> DataSet.readCsv(data, m, DataSet.Targets.REQUIRED, map, columns.ignoreExtra));
    ColumnMap known = withClasses(map, train);
    DataSet validation = val == null ? null : SourceLoader.data(val,
        () -> DataSet.readCsv(val, m, DataSet.Targets.REQUIRED, known, columns.ignoreExtra));
    long initSeed = seed != null ? seed : m.trainDefaults().seed().orElse(Trainer.DEFAULT_SEED);
    double[] theta = saved != null ? saved.params() : m.initialParameters(initSeed);
    if (from != null) {
      String why = trainer.cannotResume(from, train.examples());
      if (why != null) {
        throw new SourceLoader.UserError(resume + ": cannot continue: " + why);
      }
    }
    return new Setup(m, trainer, known, train, validation, theta, from);
  }

  /** The flags' column map, else the saved run's; label classes as the saved run had them. */
  private ColumnMap columnMap(CompiledModel m, Checkpoint saved) {
    if (!columns.given()) {
      return saved == null ? ColumnMap.DEFAULT : saved.columns();
    }
    List<String> classes = saved == null ? List.of() : saved.columns().labels().values().stream()
        .findFirst().map(ColumnMap.Label::classes).orElse(List.of());
    return columns.map(m, classes);
  }

  /** {@code map} with the classes the training data's label columns were found to have. */
  private static ColumnMap withClasses(ColumnMap map, DataSet train) {
    ColumnMap out = ColumnMap.DEFAULT;
    for (var e : map.columns().entrySet()) {
      out = out.withColumns(e.getKey(), e.getValue());
    }
    for (var e : map.labels().entrySet()) {
      out = out.withLabel(e.getKey(), e.getValue().column(), train.classes().get(e.getKey()));
    }
    return out;
  }

  /** Trains with the progress line or the epoch lines; validation losses go to {@code valLosses}. */
  private TrainResult fit(Setup run, PrintWriter err, List<Double> valLosses, EarlyStopping stopping) {
    DataSet v = run.validation();
    Trainer t = run.trainer();
    DataSet train = run.train();
    boolean bar = !quiet && (progress || System.console() != null);
    int epochsToRun = t.epochs();
    int first = run.firstEpoch();
    int logEvery = Math.max(1, (epochsToRun - first + 1) / 10);
    long steps = (long) (epochsToRun - first + 1) * t.stepsPerEpoch(train.examples());
    try (TrainProgress pb = bar ? new TrainProgress(err, TrainProgress.terminalWidth(), first,
        epochsToRun, steps, v != null) : null) {
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
          if (pb != null) {
            pb.endOfSteps();
          }
          double vl = Double.NaN;
          if (v != null) {
            vl = t.loss(params, v.inputs(), v.targets(), v.examples());
            valLosses.add(vl);
          }
          if (pb != null) {
            pb.epoch(epoch, loss, vl);
          } else if (!quiet && ((epoch - first + 1) % logEvery == 0 || epoch == epochsToRun)) {
            err.println("epoch " + epoch + "/" + epochsToRun + "  loss " + num(loss) + " (running mean)"
                + (v != null ? "  val " + num(vl) : ""));
            err.flush();
          }
          return stopping == null || stopping.observe(epoch, v != null ? vl : loss, params);
        }
      }, run.from());
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
      if (epochs != null && epochs < 1) {
        throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
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
      if (schedule != null) {
        t = t.schedule(Schedule.parse(schedule));
      }
      if (patience != null && patience < 1) {
        throw new IllegalArgumentException("--patience must be at least 1, got " + patience);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    return t;
  }

  private boolean write(PrintWriter err, PrintWriter out, Setup run, TrainResult result) {
    try {
      new Checkpoint(run.theta(), run.map(), Optional.of(result.state())).write(save, run.m());
      out.println("saved parameters and training state (epoch " + result.state().epoch() + ") to " + save);
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

  private boolean writePlot(PrintWriter err, PrintWriter out, Setup run, TrainResult r, List<Double> valLosses) {
    CompiledModel m = run.m();
    if (plot == null || r.epochs() == 0) {
      return true;
    }
    double[] vl = null;
    if (!valLosses.isEmpty()) {
      vl = valLosses.stream().mapToDouble(Double::doubleValue).limit(r.epochs()).toArray();
    }
    try {
      LossPlot.write(plot, m.name() + " — loss per epoch", run.firstEpoch(), r.epochLosses(), vl);
      out.println("saved loss plot to " + plot);
      return true;
    } catch (IOException | RuntimeException | Error e) {
      err.println("gradc: error: cannot write the plot '" + UserText.escape(plot.toString()) + "': "
          + (e instanceof IOException io ? AtomicFile.reason(io) : UserText.escape(String.valueOf(e.getMessage()))));
      return false;
    }
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
