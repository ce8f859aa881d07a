package org.gradc.runtime;

import java.util.Arrays;

/**
 * The loop kernel of {@link Gemm} for JVMs without the Vector API, shaped so that C2
 * auto-vectorizes it. C2 vectorizes a loop only when it reads and writes separate arrays at the
 * same index {@code j} (not one flat array at two offsets), so B's rows are packed into separate
 * arrays and four rows of C are accumulated in separate arrays. The inner loop takes two rows of
 * B at once ({@code t} and {@code t + 1}), so each accumulator is loaded and stored once per two
 * multiply-adds: four rows by one row of B leaves the loop bound by stores, and more than eight
 * multiply-adds per iteration makes C2 give up vectorizing it (both measured). A product with few
 * columns and more rows runs transposed ({@code Cᵀ = Bᵀ · Aᵀ}), so the vectorized loop runs over
 * the longer side.
 *
 * <p>Each element is accumulated over {@code t} in order from {@code 0.0} with {@link Math#fma}
 * (in either orientation, since {@code fma(x, y, z) = fma(y, x, z)}), as the vector kernel does,
 * so both give the same bits. Scratch space is per thread and grows to the largest product seen,
 * so warm calls allocate nothing.
 */
final class PortableGemm implements Gemm.Impl {
  /**
   * Columns below which a product with more rows than columns runs transposed: a loop of fewer
   * than two 8-lane vectors is mostly C2's scalar pre- and post-loop.
   */
  static final int NARROW = 16;

  /** Packed rows of B and four accumulator rows, per thread (the GEMM worker is a thread too). */
  private static final class Scratch {
    double[][] b = new double[0][];
    double[][] acc = new double[4][0];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  @Override
  public void mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b,
      int bOff, int ldb, double[] c, int cOff, int ldc, double div) {
    Scratch s = SCRATCH.get();
    if (n < NARROW && m > n) {
      // Cᵀ(j, i) = Σ_t B(t, j) · A(i, t): the rows of the packed operand are Aᵀ's
      double[][] bp = pack(s, a, aOff, acs, ars, k, m);
      kernel(n, m, k, b, bOff, 1, ldb, bp, accumulators(s, m), c, cOff, 1, ldc, div);
    } else {
      double[][] bp = pack(s, b, bOff, ldb, 1, k, n);
      kernel(m, n, k, a, aOff, ars, acs, bp, accumulators(s, n), c, cOff, ldc, 1, div);
    }
  }

  /**
   * {@code C(i, j) = (Σ_t A(i, t) · bp[t][j]) / div}, C(i, j) at {@code c[cOff + i * cis + j *
   * cjs]}: four rows of C at a time, then one at a time.
   */
  private static void kernel(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[][] bp, double[][] acc, double[] c, int cOff, int cis, int cjs, double div) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      rows4(n, k, a, aOff + i * ars, ars, acs, bp, acc);
      for (int r = 0; r < 4; r++) {
        store(acc[r], c, cOff + (i + r) * cis, cjs, n, div);
      }
    }
    double[] r0 = acc[0];
    for (; i < m; i++) {
      Arrays.fill(r0, 0, n, 0.0);
      int a0 = aOff + i * ars;
      for (int t = 0; t < k; t++) {
        double x0 = a[a0 + t * acs];
        double[] br = bp[t];
        for (int j = 0; j < n; j++) {
          r0[j] = Math.fma(x0, br[j], r0[j]);
        }
      }
      store(r0, c, cOff + i * cis, cjs, n, div);
    }
  }

  /** The sums of four rows of C (A's rows from {@code a0}) into {@code acc[0..3]}. */
  private static void rows4(int n, int k, double[] a, int a0, int ars, int acs, double[][] bp,
      double[][] acc) {
    double[] r0 = acc[0];
    double[] r1 = acc[1];
    double[] r2 = acc[2];
    double[] r3 = acc[3];
    Arrays.fill(r0, 0, n, 0.0);
    Arrays.fill(r1, 0, n, 0.0);
    Arrays.fill(r2, 0, n, 0.0);
    Arrays.fill(r3, 0, n, 0.0);
    int t = 0;
    for (; t + 2 <= k; t += 2) {
      int at = a0 + t * acs;
      double x0 = a[at];
      double x1 = a[at + ars];
      double x2 = a[at + 2 * ars];
      double x3 = a[at + 3 * ars];
      at += acs;
      double y0 = a[at];
      double y1 = a[at + ars];
      double y2 = a[at + 2 * ars];
      double y3 = a[at + 3 * ars];
      double[] b0 = bp[t];
      double[] b1 = bp[t + 1];
      for (int j = 0; j < n; j++) {
        double u = b0[j];
        double v = b1[j];
        r0[j] = Math.fma(y0, v, Math.fma(x0, u, r0[j]));
        r1[j] = Math.fma(y1, v, Math.fma(x1, u, r1[j]));
        r2[j] = Math.fma(y2, v, Math.fma(x2, u, r2[j]));
        r3[j] = Math.fma(y3, v, Math.fma(x3, u, r3[j]));
      }
    }
    if (t < k) {
      int at = a0 + t * acs;
      double x0 = a[at];
      double x1 = a[at + ars];
      double x2 = a[at + 2 * ars];
      double x3 = a[at + 3 * ars];
      double[] b0 = bp[t];
      for (int j = 0; j < n; j++) {
        double u = b0[j];
        r0[j] = Math.fma(x0, u, r0[j]);
        r1[j] = Math.fma(x1, u, r1[j]);
        r2[j] = Math.fma(x2, u, r2[j]);
        r3[j] = Math.fma(x3, u, r3[j]);
      }
    }
  }

  /**
   * Rows {@code t < k} of the operand {@code (t, j) -> x[off + t * ts + j * js]}, {@code j < n},
   * copied into separate arrays.
   */
  private static double[][] pack(Scratch s, double[] x, int off, int ts, int js, int k, int n) {
    if (s.b.length < k || (k > 0 && s.b[0].length < n)) {
      int rows = Math.max(k, s.b.length);
      int cols = Math.max(n, s.b.length > 0 ? s.b[0].length : 0);
      s.b = new double[rows][cols];
    }
    for (int t = 0; t < k; t++) {
      double[] row = s.b[t];
      int o = off + t * ts;
      if (js == 1) {
        System.arraycopy(x, o, row, 0, n);
      } else {
        for (int j = 0; j < n; j++) {
          row[j] = x[o + j * js];
        }
      }
    }
    return s.b;
  }

  private static double[][] accumulators(Scratch s, int n) {
    if (s.acc[0].length < n) {
      s.acc = new double[4][n];
    }
    return s.acc;
  }

  /**
   * One row of C from {@code c[co]}, {@code js} apart: the sums, divided by {@code div} unless it
   * is 1 (which gives the same bits).
   */
  private static void store(double[] row, double[] c, int co, int js, int n, double div) {
    if (js != 1) {
      for (int j = 0; j < n; j++) {
        c[co + j * js] = div == 1.0 ? row[j] : row[j] / div;
      }
    } else if (div == 1.0) {
      System.arraycopy(row, 0, c, co, n);
    } else {
      for (int j = 0; j < n; j++) {
        c[co + j] = row[j] / div;
      }
    }
  }

  @Override
  public void tanh(double[] x, int off, int n) {
    FastMath.portableTanh(x, off, n);
  }
}
