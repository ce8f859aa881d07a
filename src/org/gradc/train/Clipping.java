package org.gradc.train;

import java.util.Arrays;

/** Gradient clipping: the global norm's factor and the per-example clipped mean. */
final class Clipping {
  private Clipping() {}

  /** Σ a², in order (the clipping norm, which must not depend on how the sum is split). */
  static double sumOfSquares(double[] a) {
    double sq = 0;
    for (double v : a) {
      sq += v * v;
    }
    return sq;
  }

  /**
   * The factor that scales a gradient of squared norm {@code squaredNorm} to norm
   * {@code maxNorm} when it is longer, as {@code torch.nn.utils.clip_grad_norm_}; 1 when it is
   * not, or when {@code maxNorm} is 0 (off).
   */
  static double scale(double squaredNorm, double maxNorm) {
    double norm = maxNorm > 0 ? Math.sqrt(squaredNorm) : 0;
    return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  }

  /**
   * The mean of {@code size} per-example gradients (rows of {@code rows}), each first scaled to
   * norm at most {@code maxNorm}, as DP-SGD and Opacus clip.
   */
  static void clippedMean(double[] rows, int size, double maxNorm, double[] grad) {
    int n = grad.length;
    Arrays.fill(grad, 0);
    for (int e = 0; e < size; e++) {
      double sq = 0;
      for (int i = e * n; i < (e + 1) * n; i++) {
        sq += rows[i] * rows[i];
      }
      double scale = Math.min(1, maxNorm / (Math.sqrt(sq) + 1e-6)) / size;
      for (int i = 0; i < n; i++) {
        grad[i] += rows[e * n + i] * scale;
      }
    }
  }
}
