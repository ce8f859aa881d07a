package org.gradc.spark;

import java.util.Objects;
import java.util.OptionalDouble;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainListener;
import org.gradc.train.TrainResult;
import org.gradc.train.Trainer;

/**
 * Data-parallel training of a {@link ModelBundle} on {@link SparkData}, with the shape of gradc's
 * {@code Trainer}: an immutable configuration (each setter returns a new trainer), a
 * {@link TrainListener}, a {@link TrainResult}. θ lives on the driver; each Spark job broadcasts
 * it, every partition computes on its own examples with the model its executor compiled, and the
 * driver sums the partitions' results in partition order, so a run on the same data and
 * partitioning is reproducible bit for bit. Three methods ({@link Method}):
 *
 * <ul>
 *   <li>{@link Method#SYNCHRONOUS}: mini-batch steps. Each epoch has {@code ⌈examples /
 *       batchSize⌉} steps; in step {@code s} every partition contributes the {@code s}-th of that
 *       many equal runs of its rows (shuffled per epoch and partition), so a global batch holds
 *       about {@code batchSize} examples. One job per step returns the batch's loss and gradient
 *       sums; the driver applies clipping, weight decay and the optimizer, exactly as
 *       {@code Trainer} does. With {@link #fullBatch()} this is full-batch gradient descent.
 *   <li>{@link Method#LBFGS}: full-batch L-BFGS; an epoch is one iteration, usually one job (more
 *       only when the line search backtracks).
 *   <li>{@link Method#LOCAL_AVERAGE}: each round, every partition trains a copy of θ with
 *       {@code Trainer} for {@link #localEpochs} epochs over its own rows, and θ becomes the
 *       average of the copies weighted by rows; an epoch is one round. For networks whose step
 *       costs far less than a Spark job.
 * </ul>
 *
 * A NaN or infinite loss or gradient stops training with θ restored, as {@code Trainer} does.
 */
public final class SparkTrainer {
  /** How the steps are distributed. */
  public enum Method {
    /** Synchronous mini-batch (or full-batch) steps with the optimizer on the driver. */
    SYNCHRONOUS,
    /** Full-batch L-BFGS. */
    LBFGS,
    /** Local training on every partition, then the weighted average of the parameters. */
    LOCAL_AVERAGE
  }

  /** A trainer's settings: each setter copies them with one field changed. */
  record Config(Method method, Optimizer optimizer, int batchSize, int epochs, long seed,
      double clip, double weightDecay, boolean shuffle, int localEpochs, int memory) {}

  private final ModelBundle bundle;
  private final Config c;

  private SparkTrainer(ModelBundle bundle, Config config) {
    this.bundle = bundle;
    this.c = config;
  }

  /**
   * A synchronous trainer with this optimizer and {@code Trainer}'s defaults: batch 32, 100
   * epochs, seed 42, shuffled, no clipping, no weight decay; 1 local epoch per round and an
   * L-BFGS memory of 10 when those methods are chosen.
   *
   * @param bundle the model to train
   * @param optimizer the update rule (not used by {@link Method#LBFGS})
   * @return the trainer
   * @throws NullPointerException when either is null
   */
  public static SparkTrainer of(ModelBundle bundle, Optimizer optimizer) {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(optimizer, "optimizer");
    return new SparkTrainer(bundle, new Config(Method.SYNCHRONOUS, optimizer,
        Trainer.DEFAULT_BATCH, Trainer.DEFAULT_EPOCHS, Trainer.DEFAULT_SEED, 0, 0, true, 1, 10));
  }

  /**
   * This trainer with another method.
   *
   * @param m how the steps are distributed
   * @return a new trainer
   */
  public SparkTrainer method(Method m) {
    Objects.requireNonNull(m, "method");
    return with(new Config(m, c.optimizer, c.batchSize, c.epochs, c.seed, c.clip, c.weightDecay,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with another optimizer.
   *
   * @param o the update rule
   * @return a new trainer
   */
  public SparkTrainer optimizer(Optimizer o) {
    Objects.requireNonNull(o, "optimizer");
    return with(new Config(c.method, o, c.batchSize, c.epochs, c.seed, c.clip, c.weightDecay,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with another batch size: of the global batch for {@link Method#SYNCHRONOUS},
   * of each partition's local batches for {@link Method#LOCAL_AVERAGE}.
   *
   * @param n examples per step, at least 1
   * @return a new trainer
   * @throws IllegalArgumentException when {@code n} is below 1
   */
  public SparkTrainer batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + n);
    }
    return with(new Config(c.method, c.optimizer, n, c.epochs, c.seed, c.clip, c.weightDecay,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with one batch of all examples: full-batch gradient descent with
   * {@link Method#SYNCHRONOUS}, one job per step.
   *
   * @return a new trainer
   */
  public SparkTrainer fullBatch() {
    return batchSize(Integer.MAX_VALUE);
  }

  /**
   * This trainer with another number of epochs (iterations for L-BFGS, rounds for local
   * averaging).
   *
   * @param n at least 0
   * @return a new trainer
   * @throws IllegalArgumentException when {@code n} is negative
   */
  public SparkTrainer epochs(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("epochs must not be negative, got " + n);
    }
    return with(new Config(c.method, c.optimizer, c.batchSize, n, c.seed, c.clip, c.weightDecay,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with another seed of the shuffles.
   *
   * @param s the seed
   * @return a new trainer
   */
  public SparkTrainer seed(long s) {
    return with(new Config(c.method, c.optimizer, c.batchSize, c.epochs, s, c.clip, c.weightDecay,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with global gradient-norm clipping, as {@code Trainer.clip} (not used by L-BFGS).
   *
   * @param maxNorm the largest L2 norm of the gradient, at least 0; 0 turns clipping off
   * @return a new trainer
   * @throws IllegalArgumentException when {@code maxNorm} is negative, infinite or NaN
   */
  public SparkTrainer clip(double maxNorm) {
    if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("clip must be a non-negative number, got " + maxNorm);
    }
    return with(new Config(c.method, c.optimizer, c.batchSize, c.epochs, c.seed, maxNorm,
        c.weightDecay, c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with L2 weight decay {@code λ·θ} added to the gradient, as
   * {@code Trainer.weightDecay}; L-BFGS minimises {@code loss + λ/2·‖θ‖²}.
   *
   * @param lambda at least 0; 0 turns weight decay off
   * @return a new trainer
   * @throws IllegalArgumentException when {@code lambda} is negative, infinite or NaN
   */
  public SparkTrainer weightDecay(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("weight decay must be a non-negative number, got "
          + lambda);
    }
    return with(new Config(c.method, c.optimizer, c.batchSize, c.epochs, c.seed, c.clip, lambda,
        c.shuffle, c.localEpochs, c.memory));
  }

  /**
   * This trainer with shuffling on or off; off, the runs of each partition follow data order.
   *
   * @param on whether to shuffle each epoch
   * @return a new trainer
   */
  public SparkTrainer shuffle(boolean on) {
    return with(new Config(c.method, c.optimizer, c.batchSize, c.epochs, c.seed, c.clip,
        c.weightDecay, on, c.localEpochs, c.memory));
  }

  /**
   * This trainer with another number of local epochs per round of {@link Method#LOCAL_AVERAGE}.
   *
   * @param n at least 1
   * @return a new trainer
   * @throws IllegalArgumentException when {@code n} is below 1
   */
  public SparkTrainer localEpochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("local epochs must be at least 1, got " + n);
    }
    return with(new Config(c.method, c.optimizer, c.batchSize, c.epochs, c.seed, c.clip,
        c.weightDecay, c.shuffle, n, c.memory));
  }

  private SparkTrainer with(Config config) {
    return new SparkTrainer(bundle, config);
  }

  /**
   * The configured method.
   *
   * @return how the steps are distributed
   */
  public Method method() {
    return c.method;
  }

  /**
   * The configured batch size.
   *
   * @return examples per step ({@link Integer#MAX_VALUE} for full batch)
   */
  public int batchSize() {
    return c.batchSize;
  }

  /**
   * The configured number of epochs.
   *
   * @return epochs, iterations or rounds
   */
  public int epochs() {
    return c.epochs;
  }

  /**
   * The model this trainer trains.
   *
   * @return the bundle
   */
  public ModelBundle bundle() {
    return bundle;
  }

  /**
   * Trains {@code theta} in place on {@code data}.
   *
   * @param theta the initial parameters, updated in place: exactly
   *     {@link ModelBundle#parameterCount()} values
   * @param data the examples, packed for this model
   * @param listener hears every step and epoch on the driver and may stop training; null hears
   *     nothing
   * @return what training did, with the final loss over all examples
   * @throws IllegalArgumentException when {@code theta} has the wrong length, the data was packed
   *     for another model, or L-BFGS is asked to clip
   */
  public TrainResult fit(double[] theta, SparkData data, TrainListener listener) {
    check(theta, data);
    TrainListener hear = listener == null ? TrainListener.NONE : listener;
    return switch (c.method) {
      case SYNCHRONOUS -> Runs.synchronous(this, data, hear, theta);
      case LBFGS -> {
        if (c.clip > 0) {
          throw new IllegalArgumentException("L-BFGS does not clip gradients; set clip to 0");
        }
        yield Runs.lbfgs(this, data, hear, theta);
      }
      case LOCAL_AVERAGE -> Runs.localAverage(this, data, hear, theta);
    };
  }

  /**
   * The full-batch loss and gradient over all examples, one job: the distributed counterpart of
   * {@code CompiledModel.lossAndGradient} on the whole data.
   *
   * @param theta the parameters
   * @param data the examples
   * @param gradOut receives the gradient of the mean loss (its first parameterCount elements)
   * @return the loss averaged over all examples
   * @throws IllegalArgumentException when {@code theta} or {@code gradOut} has the wrong length
   *     or the data was packed for another model
   */
  public double lossAndGradient(double[] theta, SparkData data, double[] gradOut) {
    check(theta, data);
    int n = theta.length;
    if (gradOut.length < n) {
      throw new IllegalArgumentException("gradOut has " + gradOut.length + " elements, expected "
          + n);
    }
    return mean(Jobs.gradientSums(data.blocks(), bundle, theta, Jobs.Slice.ALL), n, gradOut);
  }

  /**
   * The mean loss over all examples, one job.
   *
   * @param theta the parameters
   * @param data the examples
   * @return the loss averaged over all examples
   */
  public double loss(double[] theta, SparkData data) {
    return lossAndGradient(theta, data, new double[theta.length]);
  }

  /**
   * The fraction of examples classified correctly, as gradc's {@code Metrics.accuracy} decides
   * it, one job.
   *
   * @param theta the parameters
   * @param data the examples
   * @return the accuracy, or empty when the data is not classification data
   */
  public OptionalDouble accuracy(double[] theta, SparkData data) {
    check(theta, data);
    double[] s = Jobs.accuracySums(data.blocks(), bundle, theta);
    return s[0] >= 0 ? OptionalDouble.of(s[0] / s[1]) : OptionalDouble.empty();
  }

  private void check(double[] theta, SparkData data) {
    if (theta.length != bundle.parameterCount()) {
      throw new IllegalArgumentException("theta has " + theta.length + " values, model "
          + bundle.name() + " has " + bundle.parameterCount() + " parameters");
    }
    data.requireWidths(bundle);
  }

  Config config() {
    return c;
  }

  /** Mean of {@code s[0..n)} by {@code s[n + 1]} into {@code grad}; the mean loss. */
  static double mean(double[] s, int n, double[] grad) {
    for (int i = 0; i < n; i++) {
      grad[i] = s[i] / s[n + 1];
    }
    return s[n] / s[n + 1];
  }

  @Override
  public String toString() {
    return c.method + " " + c.optimizer.describe() + ", batch " + c.batchSize + ", " + c.epochs
        + " epochs, seed " + c.seed;
  }
}
