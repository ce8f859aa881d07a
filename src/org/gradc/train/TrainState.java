package org.gradc.train;

/**
 * Where a training run stands between two epochs: enough, with the parameters, to continue it
 * exactly as if it had not stopped ({@link Trainer#fit(double[], double[], double[], int,
 * TrainListener, TrainState)}). The shuffle of epoch e depends only on the seed and e, so the
 * generator's state is the seed and the epoch.
 *
 * @param epoch epochs completed
 * @param step optimizer steps taken in all: the schedule's position and the optimizer's step
 *     count (Adam's bias correction)
 * @param seed the shuffle seed of the run
 * @param examples the number of training examples the run trained on
 * @param optimizer the optimizer's kind, as {@link Optimizer#kind()}
 * @param buffers the optimizer's per-parameter buffers, as {@link Optimizer.State#buffers()}
 */
public record TrainState(int epoch, long step, long seed, int examples, String optimizer,
    double[][] buffers) {
  /**
   * Copies {@code buffers}.
   *
   * @param epoch epochs completed, at least 0
   * @param step optimizer steps taken, at least 0
   * @param seed the shuffle seed
   * @param examples the number of training examples
   * @param optimizer the optimizer's kind
   * @param buffers the optimizer's buffers (copied)
   */
  public TrainState {
    if (epoch < 0 || step < 0) {
      throw new IllegalArgumentException("epoch and step must not be negative");
    }
    buffers = copy(buffers);
  }

  /**
   * The optimizer's buffers.
   *
   * @return a copy
   */
  @Override
  public double[][] buffers() {
    return copy(buffers);
  }

  /**
   * Why a run with these settings cannot continue from this state.
   *
   * @param kind the optimizer's kind
   * @param bufferCount the number of buffers that optimizer keeps
   * @param parameterCount the model's parameter count
   * @param runExamples the number of training examples
   * @param runSeed the shuffle seed
   * @param runEpochs the epochs the run is to reach
   * @return the reason, or null when it can
   */
  String mismatch(String kind, int bufferCount, int parameterCount, int runExamples, long runSeed,
      int runEpochs) {
    if (!optimizer.equals(kind)) {
      return "the saved run used the optimizer " + optimizer + ", this one " + kind;
    }
    if (examples != runExamples || seed != runSeed) {
      return "the saved run trained on " + examples + " examples with seed " + seed
          + ", this one on " + runExamples + " with seed " + runSeed;
    }
    if (buffers.length != bufferCount
        || java.util.Arrays.stream(buffers).anyMatch(b -> b.length != parameterCount)) {
      return "the saved optimizer state does not fit the model's " + parameterCount + " parameters";
    }
    if (epoch >= runEpochs) {
      return "the saved run has already trained " + epoch + " epochs; give a larger --epochs";
    }
    return null;
  }

  private static double[][] copy(double[][] b) {
    double[][] c = new double[b.length][];
    for (int i = 0; i < b.length; i++) {
      c[i] = b[i].clone();
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainState s && s.epoch == epoch && s.step == step && s.seed == seed
        && s.examples == examples && s.optimizer.equals(optimizer)
        && java.util.Arrays.deepEquals(s.buffers, buffers);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(epoch, step, seed, examples, optimizer);
  }

  /** e.g. {@code TrainState[epoch 10, step 40, seed 42, 4 examples, adam]}. */
  @Override
  public String toString() {
    return "TrainState[epoch " + epoch + ", step " + step + ", seed " + seed + ", " + examples
        + " examples, " + optimizer + "]";
  }
}
