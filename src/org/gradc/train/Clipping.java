package org.gradc.train;

import java.util.Arrays;

/** The changes a training step makes to a gradient before the optimizer sees it. */
final class Clipping {
  private Clipping() {}

  static double sumOfSquares(double[] a) {
    double sq = 0;
    for (double v : a) {
      sq += v * v;
    }
    return sq;
  }

  /**
   * Scales the gradient to norm {@code maxNorm} when it is longer, as
   * {@code torch.nn.utils.clip_grad_norm_}; 0 is off. {@code squaredNorm} is the gradient's
   * {@link #sumOfSquares}, which the step has already computed to check it is finite.
   */
  static void clip(double[] grad, double squaredNorm, double maxNorm) {
    double norm = maxNorm > 0 ? Math.sqrt(squaredNorm) : 0;
    if (maxNorm > 0 && norm > maxNorm) {
      double scale = maxNorm / (norm + 1e-6);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
  }

  /** Adds {@code lambda · θ} (L2 weight decay, as PyTorch's {@code weight_decay}). */
  static void decay(double[] grad, double[] theta, double lambda) {
    if (lambda > 0) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] += lambda * theta[i];
      }
    }
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
