package org.gradc.train;

/**
 * Hears about training as it happens and may stop it early. Epochs and steps are numbered from 1;
 * a step is one mini-batch, numbered within its epoch. Both methods run on the training thread
 * between steps; returning {@code false} ends training after the current step or epoch.
 */
public interface TrainListener {
  /** Hears nothing, never stops. */
  TrainListener NONE = new TrainListener() {};

  /**
   * After each step: {@code loss} is the batch-mean loss at the parameters before the step's
   * update, {@code batchSize} the examples in this batch (the last one of an epoch may be smaller).
   * When the loss or gradient is not finite, training has already stopped as
   * {@link TrainResult.Status#DIVERGED}: this call still reports that step, and its result is
   * ignored.
   *
   * @param epoch the epoch, from 1
   * @param step the step within its epoch, from 1
   * @param batchSize the number of examples in this step's batch
   * @param loss the batch-mean loss before the update
   * @return false to stop training after this step (the epoch is not counted as completed)
   */
  default boolean onStep(int epoch, int step, int batchSize, double loss) {
    return true;
  }

  /**
   * After each epoch: {@code loss} is the mean loss over the epoch's examples (each taken at the
   * parameters its batch saw). {@code theta} is the live parameter vector: read it, don't keep or
   * modify it.
   *
   * @param epoch the epoch just completed, from 1
   * @param loss the running mean loss of the epoch
   * @param theta the parameters after the epoch's last step (live, not a copy)
   * @return false to stop training before the next epoch
   */
  default boolean onEpoch(int epoch, double loss, double[] theta) {
    return true;
  }

  /**
   * A listener that hears only epochs, written as a lambda:
   * {@code TrainListener.onEpoch((epoch, loss, theta) -> loss > 1e-4)}.
   *
   * @param f called after each epoch, as {@link #onEpoch(int, double, double[])}
   * @return a listener that calls {@code f} after each epoch and lets every step pass
   * @throws NullPointerException when {@code f} is null
   */
  static TrainListener onEpoch(EpochListener f) {
    java.util.Objects.requireNonNull(f, "f");
    return new TrainListener() {
      @Override
      public boolean onEpoch(int epoch, double loss, double[] theta) {
        return f.onEpoch(epoch, loss, theta);
      }
    };
  }

  /**
   * A listener that hears only steps, written as a lambda:
   * {@code TrainListener.onStep((epoch, step, batchSize, loss) -> step < 100)}.
   *
   * @param f called after each step, as {@link #onStep(int, int, int, double)}
   * @return a listener that calls {@code f} after each step and lets every epoch pass
   * @throws NullPointerException when {@code f} is null
   */
  static TrainListener onStep(StepListener f) {
    java.util.Objects.requireNonNull(f, "f");
    return new TrainListener() {
      @Override
      public boolean onStep(int epoch, int step, int batchSize, double loss) {
        return f.onStep(epoch, step, batchSize, loss);
      }
    };
  }

  /** {@link TrainListener#onEpoch(int, double, double[])} as a functional interface. */
  @FunctionalInterface
  interface EpochListener {
    /**
     * See {@link TrainListener#onEpoch(int, double, double[])}; false stops training.
     *
     * @param epoch the epoch just completed, from 1
     * @param loss the running mean loss of the epoch
     * @param theta the live parameters: read them, don't keep or modify them
     * @return false to stop training
     */
    boolean onEpoch(int epoch, double loss, double[] theta);
  }

  /** {@link TrainListener#onStep(int, int, int, double)} as a functional interface. */
  @FunctionalInterface
  interface StepListener {
    /**
     * See {@link TrainListener#onStep(int, int, int, double)}; false stops training.
     *
     * @param epoch the epoch, from 1
     * @param step the step within its epoch, from 1
     * @param batchSize the number of examples in this step's batch
     * @param loss the batch-mean loss before the update
     * @return false to stop training
     */
    boolean onStep(int epoch, int step, int batchSize, double loss);
  }
}
