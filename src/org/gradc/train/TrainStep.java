package org.gradc.train;

import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;

/**
 * One training step of a {@link Trainer} as an entry point of its own, for an application that
 * runs its own loop: {@link #step} computes the loss and gradient of a batch and updates θ and
 * the optimizer's state in place, with the trainer's per-example clipping, clipping, weight
 * decay, learning-rate schedule and optimizer, exactly as {@link Trainer#fit} does (which uses
 * this class for its steps).
 *
 * <pre>{@code
 * TrainStep s = trainer.newStep(1000);             // the schedule's run length, in steps
 * for (int t = 0; t < 1000 && !s.diverged(); t++) {
 *   double loss = s.step(theta, x, y, batchSize);  // theta is updated in place
 * }
 * }</pre>
 *
 * <p>After the gradient, a step reads it once for its norm (which decides clipping and whether
 * the step diverged), then updates every parameter in a single pass (keeping its old value,
 * scaling, adding λθ, the optimizer's rule, rounding to float for an f32 model). Per-example
 * clipping keeps its own pass over the [B, P] per-example gradients. A step allocates nothing after the first.
 *
 * <p>A NaN or infinite loss or gradient applies no update: θ goes back to the parameters before
 * the last applied update (the last ones that produced a finite loss and gradient), the
 * optimizer's buffers and step count stay as they were, and {@link #diverged} is true.
 *
 * <p>A step trains one θ array: the first call rounds it to float32 for an f32 model and keeps
 * a copy of it. Not thread-safe; one per training run.
 */
public final class TrainStep {
  private final CompiledModel model;
  private final Optimizer.State state;
  private final double learningRate;
  private final Schedule schedule;
  private final long totalSteps;
  private final double clip;
  private final double weightDecay;
  private final double clipPerExample;
  private final double[] grad;
  /** θ before the last applied update, what a failed step restores. */
  private double[] previous;
  private double[] rows = new double[0];
  private boolean diverged;

  TrainStep(Trainer t, long totalSteps) {
    this.model = t.model();
    int n = model.parameterCount();
    this.state = t.optimizer().newState(n).float32(model.precision() == Precision.F32);
    this.learningRate = t.optimizer().learningRate();
    this.schedule = t.schedule();
    this.totalSteps = totalSteps;
    this.clip = t.clip();
    this.weightDecay = t.weightDecay();
    this.clipPerExample = t.clipPerExample();
    this.grad = new double[n];
  }

  /** Rounds θ to float for an f32 model and keeps it as the parameters to go back to. */
  void start(double[] theta) {
    state.round(theta);
    previous = theta.clone();
  }

  /**
   * One step on a batch: the loss and gradient at {@code theta}, then the update of
   * {@code theta} and the optimizer's state in place (or, when the loss or gradient is not
   * finite, the reset described {@linkplain TrainStep above}).
   *
   * @param theta the parameters, exactly {@code model.parameterCount()} values; the same array
   *     at every step
   * @param inputs the batch's inputs, {@code size × inputWidth} values row-major
   * @param targets the batch's targets, {@code size × targetWidth} values row-major
   * @param size the number of examples in the batch, at least 1
   * @return the batch-mean loss at {@code theta} before the update
   * @throws IllegalArgumentException when an array has the wrong length or {@code size} is
   *     below 1
   */
  public double step(double[] theta, double[] inputs, double[] targets, int size) {
    if (previous == null) {
      start(theta);
    }
    double loss = gradient(theta, inputs, targets, size);
    double rate = learningRate * schedule.factor(state.steps(), totalSteps);
    // the ordered sum of squares decides divergence and clipping, as the separate passes did;
    // it only reads the gradient, so θ and the buffers see one fused pass
    double squaredNorm = Double.isFinite(loss) ? Clipping.sumOfSquares(grad) : Double.NaN;
    diverged = !Double.isFinite(squaredNorm);
    if (!diverged) {
      double scale = clip > 0 ? Clipping.scale(squaredNorm, clip) : 1;
      state.apply(theta, grad, scale, weightDecay, previous, rate);
    }
    if (diverged) {
      System.arraycopy(previous, 0, theta, 0, theta.length);
    }
    return loss;
  }

  /** The loss at θ, with the gradient (per-example clipped when asked) in {@link #grad}. */
  private double gradient(double[] theta, double[] inputs, double[] targets, int size) {
    double loss = model.lossAndGradient(theta, inputs, targets, size, grad);
    if (clipPerExample > 0) {
      int n = grad.length;
      if (rows.length < size * n) {
        rows = new double[size * n];
      }
      model.perExampleGradients(theta, inputs, targets, size, rows);
      Clipping.clippedMean(rows, size, clipPerExample, grad);
    }
    return loss;
  }

  /**
   * Whether the last {@link #step} found a NaN or infinite loss or gradient (and so applied no
   * update and set θ back).
   *
   * @return true after such a step, false after a step that updated θ or before any
   */
  public boolean diverged() {
    return diverged;
  }

  /**
   * The updates applied.
   *
   * @return the optimizer's step count: updates since the step was new, resumed ones included
   */
  public long steps() {
    return state.steps();
  }

  /** The optimizer state, which {@link Trainer#fit} saves and resumes. */
  Optimizer.State state() {
    return state;
  }
}
