package org.gradc.train;

import java.util.Map;
import org.gradc.runtime.TrainSpec;

/**
 * An update rule with its hyperparameters (immutable). {@link #newState} gives the mutable
 * per-run state (velocities, moment estimates) that applies one step in place, allocation-free.
 * The rules are PyTorch's ({@code torch.optim.SGD}, SGD with {@code momentum}, {@code Adam}):
 *
 * <ul>
 *   <li>{@code sgd}: {@code θ ← θ − lr·g}
 *   <li>{@code momentum}: {@code v ← β·v + g; θ ← θ − lr·v} (v starts at 0, so the first step
 *       is plain SGD; no dampening, no Nesterov)
 *   <li>{@code adam}: {@code m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 *       θ ← θ − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)}, with bias correction
 * </ul>
 *
 * The gradient {@code g} handed to a step already contains weight decay and clipping; the
 * {@link Trainer} applies those. Optimizers are values (records), safe to share between threads
 * and runs; each run gets its own {@link State}.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.Adam {
  /** Learning rate of {@code sgd} when neither the train block nor the caller gives one. */
  double DEFAULT_SGD_LR = 0.01;
  /** Learning rate of {@code momentum} when neither the train block nor the caller gives one. */
  double DEFAULT_MOMENTUM_LR = 0.01;
  /** Learning rate of {@code adam} when neither the train block nor the caller gives one. */
  double DEFAULT_ADAM_LR = 0.001;

  /**
   * Plain SGD, {@code θ ← θ − lr·g}.
   *
   * @param lr the learning rate, positive and finite
   * @return the optimizer
   * @throws IllegalArgumentException when {@code lr} is not positive and finite
   */
  static Optimizer sgd(double lr) {
    return new Sgd(lr);
  }

  /**
   * SGD with momentum {@code β = 0.9}.
   *
   * @param lr the learning rate, positive and finite
   * @return the optimizer
   * @throws IllegalArgumentException when {@code lr} is not positive and finite
   */
  static Optimizer momentum(double lr) {
    return new Momentum(lr, 0.9);
  }

  /**
   * SGD with momentum, {@code v ← β·v + g; θ ← θ − lr·v}.
   *
   * @param lr the learning rate, positive and finite
   * @param beta the momentum coefficient β, in [0, 1) (0 is plain SGD)
   * @return the optimizer
   * @throws IllegalArgumentException when {@code lr} is not positive and finite or {@code beta}
   *     is outside [0, 1)
   */
  static Optimizer momentum(double lr, double beta) {
    return new Momentum(lr, beta);
  }

  /**
   * Adam with PyTorch's defaults {@code β1 = 0.9}, {@code β2 = 0.999}, {@code ε = 1e-8}.
   *
   * @param lr the learning rate, positive and finite
   * @return the optimizer
   * @throws IllegalArgumentException when {@code lr} is not positive and finite
   */
  static Optimizer adam(double lr) {
    return new Adam(lr, 0.9, 0.999, 1e-8);
  }

  /**
   * Adam with every hyperparameter given.
   *
   * @param lr the learning rate, positive and finite
   * @param beta1 the decay of the first-moment estimate, in [0, 1)
   * @param beta2 the decay of the second-moment estimate, in [0, 1)
   * @param eps the term added to the denominator, at least 0
   * @return the optimizer
   * @throws IllegalArgumentException when a hyperparameter is outside its range
   */
  static Optimizer adam(double lr, double beta1, double beta2, double eps) {
    return new Adam(lr, beta1, beta2, eps);
  }

  /**
   * The optimizer a train block declares (options the block leaves out take their defaults).
   *
   * @param spec the block's optimizer, e.g. from {@code model.trainDefaults().optimizer()}
   * @return the optimizer of that kind with those options
   * @throws IllegalArgumentException when the kind is not {@code sgd}, {@code momentum} or
   *     {@code adam}, or an option is outside its range
   */
  static Optimizer of(TrainSpec.OptimizerSpec spec) {
    Map<String, Double> o = spec.options();
    return switch (spec.kind()) {
      case "sgd" -> new Sgd(o.getOrDefault("lr", DEFAULT_SGD_LR));
      case "momentum" -> new Momentum(o.getOrDefault("lr", DEFAULT_MOMENTUM_LR), o.getOrDefault("beta", 0.9));
      case "adam" -> new Adam(o.getOrDefault("lr", DEFAULT_ADAM_LR), o.getOrDefault("beta1", 0.9),
          o.getOrDefault("beta2", 0.999), o.getOrDefault("eps", 1e-8));
      default -> throw new IllegalArgumentException("unknown optimizer '" + spec.kind() + "'");
    };
  }

  /**
   * {@code kind} with its default hyperparameters and learning rate.
   *
   * @param kind {@code sgd}, {@code momentum} or {@code adam}
   * @return the optimizer with its {@code DEFAULT_…_LR} learning rate and default
   *     hyperparameters
   * @throws IllegalArgumentException for any other name
   */
  static Optimizer byName(String kind) {
    return switch (kind) {
      case "sgd" -> sgd(DEFAULT_SGD_LR);
      case "momentum" -> momentum(DEFAULT_MOMENTUM_LR);
      case "adam" -> adam(DEFAULT_ADAM_LR);
      default -> throw new IllegalArgumentException(
          "unknown optimizer '" + kind + "' (expected sgd, momentum or adam)");
    };
  }

  /**
   * The update rule's name, as in a train block.
   *
   * @return {@code sgd}, {@code momentum} or {@code adam}
   */
  String kind();

  /**
   * The learning rate {@code lr} of the update rule.
   *
   * @return a positive, finite number
   */
  double learningRate();

  /**
   * The same optimizer with another learning rate.
   *
   * @param lr the new learning rate, positive and finite
   * @return a new optimizer of the same kind and other hyperparameters
   * @throws IllegalArgumentException when {@code lr} is not positive and finite
   */
  Optimizer withLearningRate(double lr);

  /**
   * Fresh state for a vector of {@code parameterCount} parameters: zero velocities or moment
   * estimates, no steps taken. Its {@link State#step} takes the learning rate of each step, so a
   * schedule can change it.
   *
   * @param parameterCount the length of the vectors the state will step
   * @return new state, for one training run on one thread
   */
  State newState(int parameterCount);

  /**
   * How it is written in a train block, e.g.
   * {@code adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)}.
   *
   * @return the optimizer and every hyperparameter, in train-block syntax
   */
  String describe();

  /**
   * The mutable part of an optimizer for one training run: the step count and the per-parameter
   * buffers (momentum's velocity; Adam's first and second moments), which {@link #buffers} and
   * {@link #restore} expose so a run can be saved and resumed exactly. Not thread-safe.
   *
   * <p>The update formulas live here, one small method per optimizer, applied by one loop that
   * also does what a {@link Trainer} step needs around them (keeping θ, clipping, weight decay,
   * float32 rounding), so a training step makes a single pass over the parameters.
   */
  final class State {
    /** Parameters per block of the fused pass: its arrays' blocks fit in the L1 cache. */
    private static final int BLOCK = 256;
    private static final int SGD = 0;
    private static final int MOMENTUM = 1;
    private static final int ADAM = 2;

    private final int kind;
    /** Momentum's β, or Adam's β1, β2 and ε; 0 where a rule has none. */
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double lr;
    private double[][] buffers;
    private long steps;
    /** The parameters and buffers are float32 values: each update is rounded to float. */
    private boolean float32;

    State(Optimizer o, int parameterCount) {
      kind = o instanceof Sgd ? SGD : o instanceof Momentum ? MOMENTUM : ADAM;
      beta1 = o instanceof Momentum m ? m.beta() : o instanceof Adam a ? a.beta1() : 0;
      beta2 = o instanceof Adam a ? a.beta2() : 0;
      eps = o instanceof Adam a ? a.eps() : 0;
      lr = o.learningRate();
      buffers = new double[kind == ADAM ? 2 : kind == MOMENTUM ? 1 : 0][parameterCount];
    }

    /**
     * {@link #step(double[], double[], double)} with the optimizer's own learning rate.
     *
     * @param theta the parameters, of the length given to {@link Optimizer#newState}
     * @param grad the gradient at {@code theta}, laid out the same way
     */
    public void step(double[] theta, double[] grad) {
      step(theta, grad, lr);
    }

    /**
     * Updates {@code theta} in place from gradient {@code grad} (not modified) with learning rate
     * {@code lr}, advancing the state by one step.
     *
     * @param theta the parameters, of the length given to {@link Optimizer#newState}
     * @param grad the gradient at {@code theta}, laid out the same way
     * @param lr the learning rate of this step (the optimizer's, times the schedule's factor)
     */
    public void step(double[] theta, double[] grad, double lr) {
      apply(theta, grad, 1, 0, null, lr);
    }

    /**
     * One step in place: for each parameter, {@code keep[i] ← θ[i]} (when {@code keep} is not
     * null), {@code g ← grad[i]·scale + λ·θ[i]} (stored over {@code grad} unless it is
     * {@code grad[i]}), then the update rule.
     */
    void apply(double[] theta, double[] grad, double scale, double lambda, double[] keep,
        double rate) {
      pass(theta, grad, scale, lambda, keep, rate);
      steps++;
    }

    /**
     * The fused pass, in blocks that stay in the L1 cache while short loops (which C2
     * vectorizes, as it does not a loop with a branch per element) keep, scale, decay, update
     * and round them: one trip through memory. Unless it is {@code grad[i]} itself, {@code g}
     * is stored over {@code grad}: writing it to an array of its own made the pass markedly
     * slower (the stores to fresh cache lines).
     */
    private void pass(double[] theta, double[] grad, double scale, double lambda, double[] keep,
        double rate) {
      long t = steps + 1;
      // Adam's bias corrections, once per step
      double sqrtBc2 = kind == ADAM ? Math.sqrt(1 - Math.pow(beta2, t)) : 1;
      double stepSize = kind == ADAM ? rate / (1 - Math.pow(beta1, t)) : rate;
      for (int lo = 0; lo < theta.length; lo += BLOCK) {
        int hi = Math.min(lo + BLOCK, theta.length);
        if (keep != null) {
          System.arraycopy(theta, lo, keep, lo, hi - lo);
        }
        if (lambda > 0) {
          for (int i = lo; i < hi; i++) {
            grad[i] = grad[i] * scale + lambda * theta[i];
          }
        } else if (scale != 1) {
          for (int i = lo; i < hi; i++) {
            grad[i] *= scale;
          }
        }
        switch (kind) {
          case SGD -> sgd(theta, grad, lo, hi, rate);
          case MOMENTUM -> momentum(theta, grad, lo, hi, rate, buffers[0]);
          default -> adam(theta, grad, lo, hi, stepSize, sqrtBc2, buffers[0], buffers[1]);
        }
        round(theta, lo, hi);
        for (double[] b : buffers) {
          round(b, lo, hi);
        }
      }
    }

    /** sgd: {@code θ ← θ − lr·g}. */
    private static void sgd(double[] theta, double[] g, int lo, int hi, double rate) {
      for (int i = lo; i < hi; i++) {
        theta[i] -= rate * g[i];
      }
    }

    /** momentum: {@code v ← β·v + g; θ ← θ − lr·v}. */
    private void momentum(double[] theta, double[] g, int lo, int hi, double rate, double[] v) {
      for (int i = lo; i < hi; i++) {
        double vi = beta1 * v[i] + g[i];
        v[i] = vi;
        theta[i] -= rate * vi;
      }
    }

    /** adam: the moments' update and the bias-corrected step. */
    private void adam(double[] theta, double[] g, int lo, int hi, double stepSize, double sqrtBc2,
        double[] m, double[] v) {
      for (int i = lo; i < hi; i++) {
        double mi = beta1 * m[i] + (1 - beta1) * g[i];
        double vi = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        m[i] = mi;
        v[i] = vi;
        double denom = Math.sqrt(vi) / sqrtBc2 + eps;
        theta[i] -= stepSize * mi / denom;
      }
    }

    /** This state with every update rounded to float, for a model trained in f32. */
    State float32(boolean on) {
      float32 = on;
      return this;
    }

    /** In an f32 state, each value rounded to the nearest float; else nothing. */
    void round(double[] values) {
      round(values, 0, values.length);
    }

    private void round(double[] values, int lo, int hi) {
      if (float32) { // outside the loop, so that it is a counted loop that C2 unrolls
        for (int i = lo; i < hi; i++) {
          values[i] = (float) values[i];
        }
      }
    }

    /**
     * The steps taken.
     *
     * @return the number of {@link #step} calls since the state was new, restored ones included
     */
    public long steps() {
      return steps;
    }

    /**
     * Copies of the per-parameter buffers, in the optimizer's order (momentum: v; adam: m, v).
     *
     * @return new arrays, none for sgd
     */
    public double[][] buffers() {
      double[][] copy = new double[buffers.length][];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = buffers[i].clone();
      }
      return copy;
    }

    /**
     * Sets the step count and the buffers, as saved by {@link #steps} and {@link #buffers}.
     *
     * @param stepCount the steps taken, at least 0
     * @param values the buffers, as many and as long as {@link #buffers} returns
     * @throws IllegalArgumentException when their number or lengths differ
     */
    public void restore(long stepCount, double[][] values) {
      if (stepCount < 0 || values.length != buffers.length) {
        throw new IllegalArgumentException("expected " + buffers.length + " buffers and a step count ≥ 0");
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i].length != buffers[i].length) {
          throw new IllegalArgumentException("buffer " + i + " has " + values[i].length
              + " values, expected " + buffers[i].length);
        }
      }
      for (int i = 0; i < values.length; i++) {
        System.arraycopy(values[i], 0, buffers[i], 0, values[i].length);
      }
      steps = stepCount;
    }
  }

  private static void checkLr(double lr) {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
    }
  }

  private static String num(double v) {
    return org.gradc.ir.Numbers.format(v);
  }

  /**
   * Plain stochastic gradient descent.
   *
   * @param lr the learning rate
   */
  record Sgd(double lr) implements Optimizer {
    /**
     * Checks the learning rate.
     *
     * @param lr the learning rate, positive and finite
     * @throws IllegalArgumentException when {@code lr} is not positive and finite
     */
    public Sgd {
      checkLr(lr);
    }

    public String kind() {
      return "sgd";
    }

    public double learningRate() {
      return lr;
    }

    public Optimizer withLearningRate(double newLr) {
      return new Sgd(newLr);
    }

    public String describe() {
      return "sgd(lr=" + num(lr) + ")";
    }

    public State newState(int n) {
      return new State(this, n);
    }
  }

  /**
   * SGD with (heavy-ball) momentum, as {@code torch.optim.SGD(momentum=beta)}.
   *
   * @param lr the learning rate
   * @param beta the momentum coefficient
   */
  record Momentum(double lr, double beta) implements Optimizer {
    /**
     * Checks the hyperparameters.
     *
     * @param lr the learning rate, positive and finite
     * @param beta the momentum coefficient, in [0, 1)
     * @throws IllegalArgumentException when either is outside its range
     */
    public Momentum {
      checkLr(lr);
      if (!(beta >= 0 && beta < 1)) {
        throw new IllegalArgumentException("momentum beta must be in [0, 1), got " + beta);
      }
    }

    public String kind() {
      return "momentum";
    }

    public double learningRate() {
      return lr;
    }

    public Optimizer withLearningRate(double newLr) {
      return new Momentum(newLr, beta);
    }

    public String describe() {
      return "momentum(lr=" + num(lr) + ", beta=" + num(beta) + ")";
    }

    public State newState(int n) {
      return new State(this, n);
    }
  }

  /**
   * Adam with bias correction, as {@code torch.optim.Adam} (not AdamW).
   *
   * @param lr the learning rate
   * @param beta1 the decay of the first-moment estimate
   * @param beta2 the decay of the second-moment estimate
   * @param eps the term added to the denominator
   */
  record Adam(double lr, double beta1, double beta2, double eps) implements Optimizer {
    /**
     * Checks the hyperparameters.
     *
     * @param lr the learning rate, positive and finite
     * @param beta1 the decay of the first-moment estimate, in [0, 1)
     * @param beta2 the decay of the second-moment estimate, in [0, 1)
     * @param eps the term added to the denominator, at least 0
     * @throws IllegalArgumentException when one is outside its range
     */
    public Adam {
      checkLr(lr);
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
      }
      if (!(eps >= 0)) {
        throw new IllegalArgumentException("adam eps must be non-negative, got " + eps);
      }
    }

    public String kind() {
      return "adam";
    }

    public double learningRate() {
      return lr;
    }

    public Optimizer withLearningRate(double newLr) {
      return new Adam(newLr, beta1, beta2, eps);
    }

    public String describe() {
      return "adam(lr=" + num(lr) + ", beta1=" + num(beta1) + ", beta2=" + num(beta2) + ", eps=" + eps + ")";
    }

    public State newState(int n) {
      return new State(this, n);
    }
  }
}
