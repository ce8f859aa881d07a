package org.gradc.bench;

/**
 * The splitmix64 stream the reference comparators draw their parameters and data from, so every
 * implementation starts from bit-identical values.
 */
final class Rng {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;
  private static final long M1 = 0xBF58476D1CE4E5B9L;
  private static final long M2 = 0x94D049BB133111EBL;

  private Rng() {}

  static double[] uniform(long seed, int n, double lo, double hi) {
    double[] out = new double[n];
    for (int i = 1; i <= n; i++) {
      long z = seed + i * GAMMA;
      z = (z ^ (z >>> 30)) * M1;
      z = (z ^ (z >>> 27)) * M2;
      z = z ^ (z >>> 31);
      out[i - 1] = lo + (hi - lo) * ((z >>> 11) * (1.0 / 9007199254740992.0));
    }
    return out;
  }

  static double[][] matrix(long seed, int rows, int cols, double lo, double hi) {
    double[] flat = uniform(seed, rows * cols, lo, hi);
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * cols, out[r], 0, cols);
    }
    return out;
  }
}
