package org.gradc.train;

/**
 * Early stopping with the best parameters restored, as Keras'
 * {@code EarlyStopping(patience=N, restore_best_weights=True)}: after each epoch
 * {@link #observe} is given the monitored loss (the validation loss, or the training loss);
 * training stops once {@code patience} epochs in a row have not improved on the best loss
 * (strictly lower), and {@link #restore} puts back the parameters of the best epoch. Not
 * thread-safe; one per run.
 */
public final class EarlyStopping {
  private final int patience;
  private double[] best;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private int bestEpoch;
  private int since;

  /**
   * Stops after {@code patience} epochs without improvement.
   *
   * @param patience the epochs to wait, at least 1
   * @throws IllegalArgumentException when {@code patience} is below 1
   */
  public EarlyStopping(int patience) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1, got " + patience);
    }
    this.patience = patience;
  }

  /**
   * Records an epoch's loss and parameters.
   *
   * @param epoch the epoch just completed
   * @param loss the monitored loss after it (NaN never improves)
   * @param theta the parameters after it (copied when they are the best so far)
   * @return false once training should stop
   */
  public boolean observe(int epoch, double loss, double[] theta) {
    if (loss < bestLoss) {
      bestLoss = loss;
      bestEpoch = epoch;
      since = 0;
      if (best == null) {
        best = theta.clone();
      } else {
        System.arraycopy(theta, 0, best, 0, theta.length);
      }
      return true;
    }
    return ++since < patience;
  }

  /**
   * Copies the best epoch's parameters into {@code theta}.
   *
   * @param theta the parameters to overwrite
   * @return whether there was a best epoch to restore
   */
  public boolean restore(double[] theta) {
    if (best == null) {
      return false;
    }
    System.arraycopy(best, 0, theta, 0, theta.length);
    return true;
  }

  /**
   * The epoch whose parameters {@link #restore} puts back.
   *
   * @return the epoch with the lowest loss, or 0 before any
   */
  public int bestEpoch() {
    return bestEpoch;
  }

  /**
   * The lowest monitored loss.
   *
   * @return the loss of {@link #bestEpoch()}, or infinity before any
   */
  public double bestLoss() {
    return bestLoss;
  }
}
