package org.gradc.train;

import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.gradc.runtime.TrainSpec;

/**
 * Mini-batch training of a {@link CompiledModel}. A trainer is an immutable configuration
 * (optimizer, learning-rate schedule, batch size, epochs, shuffle seed, gradient clipping, weight
 * decay); each setter returns a new trainer, so one trainer may run {@link #fit} on several
 * threads at once.
 *
 * <pre>{@code
 * Trainer t = Trainer.of(model, Optimizer.adam(0.01)).batchSize(32).epochs(100).seed(7);
 * double[] theta = model.initialParameters(42);
 * TrainResult r = t.fit(theta, inputs, targets, examples, TrainListener.NONE);  // theta is updated in place
 * }</pre>
 *
 * <p>Each epoch visits every example once in a fresh random order drawn from {@link #seed} and
 * the epoch's number (the same seed gives the same run, and a resumed run the same orders); the
 * last batch of an epoch holds the remaining {@code examples % batchSize} examples when that is
 * not zero (it is not dropped). Each step ({@link TrainStep#step}, which {@link #newStep} offers
 * for a loop of one's own):
 *
 * <ol>
 *   <li>{@code loss, g = model.lossAndGradient(θ, batch)} (g is the gradient of the batch mean);
 *   <li>with {@code clipPerExample c > 0}: g is instead the mean of the per-example gradients,
 *       each scaled to norm at most c ({@link #clipPerExample(double)});
 *   <li>with {@code clip c > 0}: when {@code ‖g‖₂ > c}, {@code g ← g · c / (‖g‖₂ + 1e-6)}
 *       (as {@code torch.nn.utils.clip_grad_norm_}, over all parameters together);
 *   <li>with {@code weight_decay λ > 0}: {@code g ← g + λ·θ} (L2, as PyTorch's {@code weight_decay});
 *   <li>the optimizer updates θ in place with the learning rate {@code lr · schedule.factor(t, T)}
 *       ({@link Schedule}; t counts the run's steps from 0, T is epochs × steps per epoch).
 * </ol>
 *
 * A NaN or infinite loss or gradient stops training: θ is restored to the parameters before the
 * last applied update (the last ones that produced a finite loss and gradient) and the result
 * says {@link TrainResult.Status#DIVERGED} with the epoch and step. After the first step of a
 * run, steps allocate nothing.
 * An f32 model ({@link CompiledModel#precision()}) trains in float32: θ is rounded to float at
 * the start and after each update (computed in double), as are the optimizer's buffers.
 */
public final class Trainer {
  /** The batch size of {@link #of} when none is set. */
  public static final int DEFAULT_BATCH = 32;
  /** The number of epochs of {@link #of} when none is set. */
  public static final int DEFAULT_EPOCHS = 100;
  /** The shuffle seed of {@link #of} when none is set. */
  public static final long DEFAULT_SEED = 42;

  private final CompiledModel model;
  private final Optimizer optimizer;
  private final int batchSize;
  private final int epochs;
  private final long seed;
  private final double clip;
  private final double weightDecay;
  private final boolean shuffle;
  private final Schedule schedule;
  private final double clipPerExample;

  private Trainer(CompiledModel model, Optimizer optimizer, int batchSize, int epochs, long seed,
      double clip, double weightDecay, boolean shuffle, Schedule schedule, double clipPerExample) {
    this.model = model;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.epochs = epochs;
    this.seed = seed;
    this.clip = clip;
    this.weightDecay = weightDecay;
    this.shuffle = shuffle;
    this.schedule = schedule;
    this.clipPerExample = clipPerExample;
  }

  /**
   * A trainer with this optimizer and the built-in defaults: batch 32, 100 epochs, seed 42,
   * shuffled, no clipping, no weight decay. The model's {@code train} block is not consulted
   * (see {@link #fromDefaults}).
   *
   * @param model the model to train
   * @param optimizer the update rule
   * @return the trainer
   * @throws NullPointerException when either is null
   */
  public static Trainer of(CompiledModel model, Optimizer optimizer) {
    if (model == null || optimizer == null) {
      throw new NullPointerException("model and optimizer are required");
    }
    return new Trainer(model, optimizer, DEFAULT_BATCH, DEFAULT_EPOCHS, DEFAULT_SEED, 0, 0, true,
        Schedule.CONSTANT, 0);
  }

  /**
   * A trainer configured by the model's {@code train} block; whatever the block leaves out takes
   * the built-in defaults (sgd with lr 0.01, batch 32, 100 epochs, seed 42, no clipping, no
   * weight decay).
   *
   * @param model the model to train, whose {@link CompiledModel#trainDefaults()} configure it
   * @return the trainer
   * @throws IllegalArgumentException when the block's values are out of range for a trainer
   */
  public static Trainer fromDefaults(CompiledModel model) {
    TrainSpec spec = model.trainDefaults();
    Trainer t = of(model, spec.optimizer().map(Optimizer::of).orElse(Optimizer.sgd(Optimizer.DEFAULT_SGD_LR)));
    if (spec.batch().isPresent()) {
      t = t.batchSize(spec.batch().getAsInt());
    }
    if (spec.epochs().isPresent()) {
      t = t.epochs(spec.epochs().getAsInt());
    }
    if (spec.seed().isPresent()) {
      t = t.seed(spec.seed().getAsLong());
    }
    if (spec.clip().isPresent()) {
      t = t.clip(spec.clip().getAsDouble());
    }
    if (spec.weightDecay().isPresent()) {
      t = t.weightDecay(spec.weightDecay().getAsDouble());
    }
    if (spec.schedule().isPresent()) {
      t = t.schedule(Schedule.of(spec.schedule().get().kind(), spec.schedule().get().options()));
    }
    return t;
  }

  /**
   * This trainer with another optimizer; the rest of the configuration is kept.
   *
   * @param newOptimizer the update rule
   * @return a new trainer
   */
  public Trainer optimizer(Optimizer newOptimizer) {
    java.util.Objects.requireNonNull(newOptimizer, "optimizer");
    return new Trainer(model, newOptimizer, batchSize, epochs, seed, clip, weightDecay, shuffle,
        schedule, clipPerExample);
  }

  /**
   * This trainer with another batch size. A data set smaller than it is one batch per epoch.
   *
   * @param n examples per step, at least 1
   * @return a new trainer
   * @throws IllegalArgumentException when {@code n} is below 1
   */
  public Trainer batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + n);
    }
    return new Trainer(model, optimizer, n, epochs, seed, clip, weightDecay, shuffle, schedule,
        clipPerExample);
  }

  /**
   * This trainer with another number of epochs, passes over the data.
   *
   * @param n the number of epochs, at least 0 (0 trains nothing; {@link #fit} then only
   *     computes the loss)
   * @return a new trainer
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public Trainer epochs(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("epochs must not be negative, got " + n);
    }
    return new Trainer(model, optimizer, batchSize, n, seed, clip, weightDecay, shuffle, schedule,
        clipPerExample);
  }

  /**
   * This trainer with another shuffle seed; the same seed gives the same order of examples.
   *
   * @param s the seed of the generator that shuffles each epoch
   * @return a new trainer
   */
  public Trainer seed(long s) {
    return new Trainer(model, optimizer, batchSize, epochs, s, clip, weightDecay, shuffle, schedule,
        clipPerExample);
  }

  /**
   * This trainer with another global gradient-norm clipping threshold.
   *
   * @param maxNorm the largest L2 norm of the whole gradient, at least 0; 0 turns clipping off
   * @return a new trainer
   * @throws IllegalArgumentException when {@code maxNorm} is negative, infinite or NaN
   */
  public Trainer clip(double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("clip must be a non-negative number, got " + maxNorm);
    }
    return new Trainer(model, optimizer, batchSize, epochs, seed, maxNorm, weightDecay, shuffle,
        schedule, clipPerExample);
  }

  /**
   * This trainer with another L2 weight decay, added to the gradient as {@code λ·θ}.
   *
   * @param lambda the coefficient λ, at least 0; 0 turns weight decay off
   * @return a new trainer
   * @throws IllegalArgumentException when {@code lambda} is negative, infinite or NaN
   */
  public Trainer weightDecay(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("weight decay must be a non-negative number, got " + lambda);
    }
    return new Trainer(model, optimizer, batchSize, epochs, seed, clip, lambda, shuffle, schedule,
        clipPerExample);
  }

  /**
   * This trainer with shuffling on or off.
   *
   * @param on whether to shuffle the examples each epoch (default true); without, batches
   *     follow data order
   * @return a new trainer
   */
  public Trainer shuffle(boolean on) {
    return new Trainer(model, optimizer, batchSize, epochs, seed, clip, weightDecay, on, schedule,
        clipPerExample);
  }

  /**
   * This trainer with per-example gradient clipping (as DP-SGD and Opacus clip): each example's
   * gradient g_b is scaled to {@code g_b · min(1, c / (‖g_b‖₂ + 1e-6))} before the batch mean,
   * so no example moves the parameters by more than {@code c / B}. Global clipping and weight
   * decay apply afterwards. Each step then also computes the per-example gradients
   * ({@link CompiledModel#perExampleGradients}), a [B, P] matrix.
   *
   * @param maxNorm the largest L2 norm of one example's gradient, at least 0; 0 turns it off
   * @return a new trainer
   * @throws IllegalArgumentException when {@code maxNorm} is negative, infinite or NaN
   */
  public Trainer clipPerExample(double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException(
          "clip_per_example must be a non-negative number, got " + maxNorm);
    }
    return new Trainer(model, optimizer, batchSize, epochs, seed, clip, weightDecay, shuffle,
        schedule, maxNorm);
  }

  /**
   * The per-example clipping threshold.
   *
   * @return the largest L2 norm of one example's gradient, 0 when off
   */
  public double clipPerExample() {
    return clipPerExample;
  }

  /**
   * This trainer with another learning-rate schedule.
   *
   * @param s the schedule, applied per step over the run's {@code epochs × stepsPerEpoch} steps
   * @return a new trainer
   */
  public Trainer schedule(Schedule s) {
    java.util.Objects.requireNonNull(s, "schedule");
    return new Trainer(model, optimizer, batchSize, epochs, seed, clip, weightDecay, shuffle, s,
        clipPerExample);
  }

  /**
   * The learning-rate schedule.
   *
   * @return the schedule; {@link Schedule#CONSTANT} unless one was set
   */
  public Schedule schedule() {
    return schedule;
  }

  /**
   * The model this trainer trains.
   *
   * @return the model given to {@link #of} or {@link #fromDefaults}
   */
  public CompiledModel model() {
    return model;
  }

  /**
   * The update rule.
   *
   * @return the optimizer; each {@link #fit} starts it from fresh state
   */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * Examples per step.
   *
   * @return the batch size, at least 1
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Passes over the data per {@link #fit}.
   *
   * @return the number of epochs, at least 0
   */
  public int epochs() {
    return epochs;
  }

  /**
   * The seed of the shuffle.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The global gradient-norm clipping threshold.
   *
   * @return the threshold, or 0 when clipping is off
   */
  public double clip() {
    return clip;
  }

  /**
   * The L2 weight decay coefficient λ.
   *
   * @return λ, or 0 when weight decay is off
   */
  public double weightDecay() {
    return weightDecay;
  }

  /**
   * Whether the examples are shuffled each epoch.
   *
   * @return true unless turned off with {@link #shuffle(boolean)}
   */
  public boolean shuffle() {
    return shuffle;
  }

  /**
   * Steps in one epoch over {@code examples} examples: the last, smaller batch counts as one.
   *
   * @param examples the number of examples
   * @return {@code examples / batchSize} rounded up
   */
  public int stepsPerEpoch(int examples) {
    return (examples + batchSize - 1) / batchSize;
  }

  /**
   * {@link #fit(double[], double[], double[], int, TrainListener)} without a listener.
   *
   * @param theta the parameters, exactly {@code model.parameterCount()} values, laid out by
   *     {@code model.parameters()}
   * @param inputs the inputs, exactly {@code examples × inputWidth} values row-major
   * @param targets the targets, exactly {@code examples × targetWidth} values row-major
   * @param examples the number of examples, at least 1
   * @return what training did, with the final loss
   * @throws IllegalArgumentException when {@code examples} is below 1 or an array has the wrong
   *     length
   */
  public TrainResult fit(double[] theta, double[] inputs, double[] targets, int examples) {
    return fit(theta, inputs, targets, examples, TrainListener.NONE);
  }

  /**
   * Trains {@code theta} in place on {@code examples} examples laid out as the model's flat
   * row-major batch format ({@code inputs}: examples × inputWidth, {@code targets}: examples ×
   * targetWidth). {@code inputs} and {@code targets} are only read; each call has its own
   * batch buffers and optimizer state, so calls on several threads at once are independent as
   * long as they train different {@code theta} arrays. On return {@code theta} holds the trained
   * parameters (after a divergence: the last ones with a finite loss and gradient).
   *
   * @param theta the initial parameters, updated in place: exactly
   *     {@code model.parameterCount()} values, laid out by {@code model.parameters()}
   * @param inputs the inputs, exactly {@code examples × inputWidth} values row-major
   * @param targets the targets, exactly {@code examples × targetWidth} values row-major
   * @param examples the number of examples, at least 1
   * @param listener hears every step and epoch and may stop training; null hears nothing
   * @return what training did: how it ended, the epochs and steps run, the losses and timing
   * @throws IllegalArgumentException when {@code examples} is below 1 or an array has the wrong
   *     length
   */
  public TrainResult fit(double[] theta, double[] inputs, double[] targets, int examples,
      TrainListener listener) {
    return fit(theta, inputs, targets, examples, listener, null);
  }

  /**
   * {@link #fit(double[], double[], double[], int, TrainListener)} continuing a run from
   * {@code from}: epochs {@code from.epoch() + 1} to {@link #epochs}, with the optimizer's
   * buffers and step count, the schedule's position and the shuffle of those epochs as an
   * uninterrupted run would have had them. Given the parameters the earlier run ended with,
   * the result is bit for bit that of the uninterrupted run.
   *
   * @param theta the parameters the earlier run ended with, updated in place
   * @param inputs the inputs, exactly {@code examples × inputWidth} values row-major
   * @param targets the targets, exactly {@code examples × targetWidth} values row-major
   * @param examples the number of examples, at least 1
   * @param listener hears every step and epoch and may stop training; null hears nothing
   * @param from where the earlier run stopped ({@link TrainResult#state()}), or null to start
   * @return what this call did; its {@link TrainResult#state()} continues it
   * @throws IllegalArgumentException as the other {@code fit}, and when {@code from} was saved
   *     by another optimizer, for another number of examples or a parameter count, or has
   *     already run {@link #epochs} epochs or more
   */
  public TrainResult fit(double[] theta, double[] inputs, double[] targets, int examples,
      TrainListener listener, TrainState from) {
    Batches.check(model, theta, inputs, targets, examples);
    TrainListener hear = listener == null ? TrainListener.NONE : listener;
    Batches batches = new Batches(examples, Math.min(batchSize, examples), model.inputWidth(),
        model.targetWidth(), shuffle ? seed : null);
    TrainStep step = new TrainStep(this, (long) epochs * stepsPerEpoch(examples));
    step.start(theta); // an f32 run holds float32 parameters from the start
    int first = from == null ? 1 : resume(from, examples, step.state()) + 1;
    // grows with the epochs actually run, so a huge --epochs costs nothing up front
    double[] losses = new double[Math.min(Math.max(epochs - first + 1, 0), 1024)];
    long nanos = 0;
    long seen = 0;
    int done = 0;
    TrainResult.Status status = TrainResult.Status.COMPLETED;
    int badEpoch = 0;
    int badStep = 0;
    training:
    for (int epoch = first; epoch <= epochs; epoch++) {
      long started = System.nanoTime();
      batches.shuffle(epoch);
      double sum = 0;
      for (int s = 1; batches.next(inputs, targets); s++) {
        int size = batches.size;
        double loss = step.step(theta, batches.x, batches.y, size);
        if (step.diverged()) {
          status = TrainResult.Status.DIVERGED;
          badEpoch = epoch;
          badStep = s;
          hear.onStep(epoch, s, size, loss);
          break training;
        }
        seen += size;
        sum += loss * size;
        nanos += System.nanoTime() - started;
        boolean go = hear.onStep(epoch, s, size, loss);
        started = System.nanoTime();
        if (!go) {
          status = TrainResult.Status.STOPPED;
          break training;
        }
      }
      if (done >= losses.length) {
        losses = java.util.Arrays.copyOf(losses, (int) Math.min(epochs, 2L * losses.length + 1));
      }
      losses[done++] = sum / examples;
      if (!hear.onEpoch(epoch, losses[done - 1], theta)) {
        status = epoch == epochs ? TrainResult.Status.COMPLETED : TrainResult.Status.STOPPED;
        break;
      }
    }
    double[] epochLosses = java.util.Arrays.copyOf(losses, done);
    double last = done == 0 ? Double.NaN : epochLosses[done - 1];
    double finalLoss = loss(theta, inputs, targets, examples);
    TrainState end = new TrainState(first - 1 + done, step.steps(), seed, examples,
        optimizer.kind(), step.state().buffers());
    return new TrainResult(status, done, step.steps() - (from == null ? 0 : from.step()), finalLoss,
        last, epochLosses, badEpoch, badStep, nanos / 1e9, seen, end);
  }

  /**
   * A step of this trainer for an application's own training loop: {@link TrainStep#step}
   * updates θ in place from one batch as each step of {@link #fit} does, with fresh optimizer
   * state.
   *
   * @param totalSteps the number of steps of the run, which the {@link #schedule} spreads its
   *     factor over (as {@code fit} uses {@code epochs × stepsPerEpoch(examples)}), at least 1
   * @return a new step, for one run on one thread
   * @throws IllegalArgumentException when {@code totalSteps} is below 1
   */
  public TrainStep newStep(long totalSteps) {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("a run has at least 1 step, got " + totalSteps);
    }
    return new TrainStep(this, totalSteps);
  }

  /** Restores the optimizer from {@code from}; returns the epochs it completed. */
  private int resume(TrainState from, int examples, Optimizer.State state) {
    String why = cannotResume(from, examples);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    state.restore(from.step(), from.buffers());
    return from.epoch();
  }

  /**
   * Why this trainer cannot continue the run {@code from} on {@code examples} examples.
   *
   * @param from where the earlier run stopped
   * @param examples the number of examples of this run
   * @return the reason, or null when it can
   */
  public String cannotResume(TrainState from, int examples) {
    return from.mismatch(optimizer.kind(), optimizer.newState(0).buffers().length,
        model.parameterCount(), examples, seed, epochs);
  }

  /**
   * The mean loss over all {@code examples} examples at {@code theta}, computed in batches of
   * {@link #batchSize}, in data order. Does not change {@code theta}.
   *
   * @param theta the parameters, exactly {@code model.parameterCount()} values, laid out by
   *     {@code model.parameters()}
   * @param inputs the inputs, exactly {@code examples × inputWidth} values row-major
   * @param targets the targets, exactly {@code examples × targetWidth} values row-major
   * @param examples the number of examples, at least 1
   * @return the loss averaged over the examples
   * @throws IllegalArgumentException when {@code examples} is below 1 or an array has the wrong
   *     length
   */
  public double loss(double[] theta, double[] inputs, double[] targets, int examples) {
    Batches.check(model, theta, inputs, targets, examples);
    int inW = model.inputWidth();
    int tgW = model.targetWidth();
    double[] grad = new double[model.parameterCount()];
    double sum = 0;
    for (int from = 0; from < examples; from += batchSize) {
      int size = Math.min(batchSize, examples - from);
      double[] x = java.util.Arrays.copyOfRange(inputs, from * inW, (from + size) * inW);
      double[] y = java.util.Arrays.copyOfRange(targets, from * tgW, (from + size) * tgW);
      sum += model.lossAndGradient(theta, x, y, size, grad) * size;
    }
    return sum / examples;
  }

  /**
   * The model's outputs for all examples ({@code examples × outputWidth}), in batches.
   * {@code targets} ({@code examples × targetWidth}) may be null unless an output is computed
   * from a target ({@link CompiledModel#predictReadsTargets()}).
   *
   * @param theta the parameters, exactly {@code model.parameterCount()} values
   * @param inputs the inputs, at least {@code examples × inputWidth} values row-major
   * @param targets the targets, at least {@code examples × targetWidth} values, or null
   * @param examples the number of examples, at least 1
   * @return a new array of {@code examples × outputWidth} values, one row per example
   * @throws IllegalArgumentException when {@code examples} is below 1, an array is too short,
   *     {@code theta} has the wrong length, {@code targets} is null but an output reads one, or
   *     the predictions would not fit in one array
   */
  public double[] predict(double[] theta, double[] inputs, double[] targets, int examples) {
    int inW = model.inputWidth();
    int tgW = model.targetWidth();
    int outW = model.outputWidth();
    if (examples < 1 || inputs.length < (long) examples * inW) {
      throw new IllegalArgumentException("expected " + examples + " × " + inW + " input values, got " + inputs.length);
    }
    if (targets != null && targets.length < (long) examples * tgW) {
      throw new IllegalArgumentException("expected " + examples + " × " + tgW + " target values, got " + targets.length);
    }
    if ((long) examples * outW > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(examples + " examples × " + outW
          + " outputs are more predictions than one array holds; predict in parts");
    }
    double[] out = new double[examples * outW];
    for (int from = 0; from < examples; from += batchSize) {
      int size = Math.min(batchSize, examples - from);
      double[] x = java.util.Arrays.copyOfRange(inputs, from * inW, (from + size) * inW);
      double[] y = targets == null ? null
          : java.util.Arrays.copyOfRange(targets, from * tgW, (from + size) * tgW);
      System.arraycopy(model.predict(theta, x, y, size), 0, out, from * outW, size * outW);
    }
    return out;
  }

  /**
   * {@link #predict(double[], double[], double[], int)} without targets.
   *
   * @param theta the parameters, exactly {@code model.parameterCount()} values
   * @param inputs the inputs, at least {@code examples × inputWidth} values row-major
   * @param examples the number of examples, at least 1
   * @return a new array of {@code examples × outputWidth} values, one row per example
   * @throws IllegalArgumentException as the other {@code predict}, and when an output is
   *     computed from a target
   */
  public double[] predict(double[] theta, double[] inputs, int examples) {
    return predict(theta, inputs, null, examples);
  }

  @Override
  public String toString() {
    return optimizer.describe() + ", batch " + batchSize + ", " + epochs + " epochs, seed " + seed
        + (clip > 0 ? ", clip " + clip : "") + (weightDecay > 0 ? ", weight_decay " + weightDecay : "")
        + (clipPerExample > 0 ? ", clip_per_example " + clipPerExample : "")
        + (schedule instanceof Schedule.Constant ? "" : ", schedule " + schedule.describe())
        + (model.precision() == Precision.F32 ? ", precision f32" : "");
  }
}
