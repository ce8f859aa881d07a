package org.gradc.train;

import java.util.SplittableRandom;
import org.gradc.runtime.CompiledModel;

/**
 * One run's order of examples and its mini-batch buffers. Each epoch's order is a fresh
 * Fisher–Yates shuffle of 0 … examples−1 by a generator seeded from the seed and the epoch (as
 * PyTorch's {@code RandomSampler} draws a new permutation each epoch), so any epoch can be
 * replayed without the ones before it: a resumed run needs only the seed and the epoch.
 */
final class Batches {
  private final int[] order;
  private final int full;
  private final int inW;
  private final int tgW;
  private final Long seed;
  private final double[] bx;
  private final double[] by;
  private final double[] rx;
  private final double[] ry;
  private int from;
  /** The current batch: inputs, targets and number of examples. */
  double[] x;
  double[] y;
  int size;

  /** {@code seed} null: no shuffling, batches in data order. */
  Batches(int examples, int full, int inW, int tgW, Long seed) {
    this.order = new int[examples];
    this.full = full;
    this.inW = inW;
    this.tgW = tgW;
    this.seed = seed;
    int rest = examples % full;
    bx = new double[full * inW];
    by = new double[full * tgW];
    rx = rest == 0 ? bx : new double[rest * inW];
    ry = rest == 0 ? by : new double[rest * tgW];
  }

  /** Starts epoch {@code epoch} (from 1) with its order. */
  void shuffle(int epoch) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (seed != null) {
      SplittableRandom rnd = new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L));
      for (int i = order.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    from = 0;
  }

  /** Copies the next batch into {@link #x} and {@link #y}; false at the end of the epoch. */
  boolean next(double[] inputs, double[] targets) {
    if (from >= order.length) {
      return false;
    }
    size = Math.min(full, order.length - from);
    x = size == full ? bx : rx;
    y = size == full ? by : ry;
    for (int k = 0; k < size; k++) {
      int e = order[from + k];
      System.arraycopy(inputs, e * inW, x, k * inW, inW);
      System.arraycopy(targets, e * tgW, y, k * tgW, tgW);
    }
    from += size;
    return true;
  }

  /** Checks the array sizes of a fit or loss call against the model's. */
  static void check(CompiledModel model, double[] theta, double[] inputs, double[] targets,
      int examples) {
    if (theta.length != model.parameterCount()) {
      throw new IllegalArgumentException("theta has " + theta.length + " values, the model has "
          + model.parameterCount() + " parameters");
    }
    if (examples < 1) {
      throw new IllegalArgumentException("need at least one example, got " + examples);
    }
    if (inputs.length != (long) examples * model.inputWidth()) {
      throw new IllegalArgumentException("expected " + examples + " × " + model.inputWidth()
          + " input values, got " + inputs.length);
    }
    if (targets.length != (long) examples * model.targetWidth()) {
      throw new IllegalArgumentException("expected " + examples + " × " + model.targetWidth()
          + " target values, got " + targets.length);
    }
  }
}
