package org.gradc.runtime;

/**
 * The activation a dense layer {@code act(x · W + b)} applies in the epilogue of its product
 * ({@link Gemm#mul(int, int, int, double[], int, int, int, double[], int, int, double[], int, int,
 * double[], int, Activation)}): each computed as the generated code computes it unfused, so a
 * fused layer gives the same bits.
 */
public enum Activation {
  /** No activation: {@code x · W + b}. */
  IDENTITY,
  /** {@code z > 0 ? z : 0} (0 for NaN, as the generated {@code relu}). */
  RELU,
  /** {@link FastMath#tanh(double)}; in {@code float}, that of the widened value, rounded. */
  TANH,
  /** The logistic function, in the generated {@code sigmoid}'s form. */
  SIGMOID;

  /** The generated {@code sigmoid(x)}, finite for arguments of any magnitude. */
  static double sigmoid(double x) {
    if (x >= 0.0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** The generated {@code float} {@code sigmoid(x)}: each {@code Math.exp} rounded to float. */
  static float sigmoid(float x) {
    if (x >= 0f) {
      return 1f / (1f + (float) Math.exp(-x));
    }
    float e = (float) Math.exp(x);
    return e / (1f + e);
  }
}
