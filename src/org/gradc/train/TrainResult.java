package org.gradc.train;

/**
 * What a call of {@link Trainer#fit} did.
 *
 * @param status how training ended
 * @param epochs epochs completed
 * @param steps optimizer steps applied in all
 * @param loss mean training loss of the last completed epoch (NaN when none completed)
 * @param epochLosses the mean training loss of each completed epoch, in order
 * @param stopEpoch with {@link Status#DIVERGED}: the epoch of the step whose loss or gradient was
 *     not finite; otherwise 0
 * @param stopStep with {@link Status#DIVERGED}: that step within its epoch; otherwise 0
 * @param seconds wall-clock time spent in {@code fit}
 * @param examplesSeen examples processed in all (for throughput)
 */
public record TrainResult(Status status, int epochs, long steps, double loss, double[] epochLosses,
    int stopEpoch, int stopStep, double seconds, long examplesSeen) {

  public TrainResult {
    epochLosses = epochLosses.clone();
  }

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

  /** Examples per second over the whole run. */
  public double throughput() {
    return seconds > 0 ? examplesSeen / seconds : Double.NaN;
  }
}
