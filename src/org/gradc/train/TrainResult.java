package org.gradc.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a call of {@link Trainer#fit} did. Two losses are reported, and they differ: the running
 * mean over the last epoch (each batch's loss taken at the parameters that batch saw, as a
 * progress line shows it) and the loss over all the training examples at the trained parameters
 * (as {@code model.evaluate} in Keras reports it).
 *
 * @param status how training ended
 * @param epochs epochs completed by this call (a resumed run counts only its own)
 * @param steps optimizer steps applied by this call
 * @param finalLoss the mean loss over all training examples at the parameters {@code fit} leaves
 *     in {@code theta} (after a divergence: the restored ones)
 * @param lastEpochLoss the running mean of the batch losses of the last completed epoch (NaN
 *     when none completed)
 * @param epochLosses the running mean loss of each completed epoch, in order
 * @param stopEpoch with {@link Status#DIVERGED}: the epoch of the step whose loss or gradient was
 *     not finite; otherwise 0
 * @param stopStep with {@link Status#DIVERGED}: that step within its epoch; otherwise 0
 * @param seconds wall-clock time spent in training steps (the listener's calls and the final
 *     loss pass excluded)
 * @param examplesSeen examples processed in all (for throughput)
 * @param state where the run stands at the end, to continue it with
 *     {@link Trainer#fit(double[], double[], double[], int, TrainListener, TrainState)}; null
 *     from trainers that keep none
 */
public record TrainResult(Status status, int epochs, long steps, double finalLoss,
    double lastEpochLoss, double[] epochLosses, int stopEpoch, int stopStep, double seconds,
    long examplesSeen, TrainState state) {

  /**
   * Copies {@code epochLosses}, so a result never changes.
   *
   * @param status how training ended
   * @param epochs epochs completed by this call
   * @param steps optimizer steps applied by this call
   * @param finalLoss the mean loss over all training examples at the trained parameters
   * @param lastEpochLoss the running mean loss of the last completed epoch, or NaN
   * @param epochLosses the running mean loss of each completed epoch (copied)
   * @param stopEpoch the epoch of the diverging step, or 0
   * @param stopStep the diverging step within its epoch, or 0
   * @param seconds wall-clock time spent in training steps
   * @param examplesSeen examples processed in all
   * @param state where the run stands at the end
   */
  public TrainResult {
    epochLosses = epochLosses.clone();
  }

  /**
   * A result without a state to continue from (for trainers other than {@link Trainer}).
   *
   * @param status how training ended
   * @param epochs epochs completed by this call
   * @param steps optimizer steps applied by this call
   * @param finalLoss the mean loss over all training examples at the trained parameters
   * @param lastEpochLoss the running mean loss of the last completed epoch, or NaN
   * @param epochLosses the running mean loss of each completed epoch (copied)
   * @param stopEpoch the epoch of the diverging step, or 0
   * @param stopStep the diverging step within its epoch, or 0
   * @param seconds wall-clock time spent in training steps
   * @param examplesSeen examples processed in all
   */
  public TrainResult(Status status, int epochs, long steps, double finalLoss, double lastEpochLoss,
      double[] epochLosses, int stopEpoch, int stopStep, double seconds, long examplesSeen) {
    this(status, epochs, steps, finalLoss, lastEpochLoss, epochLosses, stopEpoch, stopStep, seconds,
        examplesSeen, null);
  }

  /**
   * The running mean loss of each completed epoch, in order.
   *
   * @return a new copy, {@link #epochs()} values long
   */
  @Override
  public double[] epochLosses() {
    return epochLosses.clone();
  }

  /** How a training run ended. */
  public enum Status {
    /** Every requested epoch ran. */
    COMPLETED,
    /** The listener asked to stop. */
    STOPPED,
    /**
     * A loss or gradient was NaN or infinite; the parameters were restored to the last ones that
     * gave a finite loss and gradient.
     */
    DIVERGED
  }

  /**
   * Examples per second over the training steps.
   *
   * @return {@link #examplesSeen()} / {@link #seconds()}, or NaN when no time was measured
   */
  public double throughput() {
    return seconds > 0 ? examplesSeen / seconds : Double.NaN;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainResult r && r.status == status && r.epochs == epochs
        && r.steps == steps && Double.compare(r.finalLoss, finalLoss) == 0
        && Double.compare(r.lastEpochLoss, lastEpochLoss) == 0
        && Arrays.equals(r.epochLosses, epochLosses) && r.stopEpoch == stopEpoch
        && r.stopStep == stopStep && Double.compare(r.seconds, seconds) == 0
        && r.examplesSeen == examplesSeen && java.util.Objects.equals(r.state, state);
  }

  @Override
  public int hashCode() {
    return ((status.hashCode() * 31 + epochs) * 31 + Long.hashCode(steps)) * 31
        + Arrays.hashCode(epochLosses);
  }

  /** e.g. {@code TrainResult[COMPLETED, 100 epochs, 400 steps, final loss 0.0123, ...]}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TrainResult[%s, %d epochs, %d steps, final loss %.6g,"
        + " last epoch loss %.6g%s, %.3f s, %d examples]", status, epochs, steps, finalLoss,
        lastEpochLoss, status == Status.DIVERGED ? ", diverged at epoch " + stopEpoch + " step "
            + stopStep : "", seconds, examplesSeen);
  }
}
