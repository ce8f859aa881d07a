package org.gradc.runtime;

import java.util.Arrays;

/**
 * The loop kernel of {@link Gemm} for JVMs without the Vector API, shaped so that C2
 * auto-vectorizes it: B's rows are packed into separate arrays and four rows of C are
 * accumulated in separate arrays, so the inner loop reads and writes every array at the same
 * index {@code j} (C2 does not vectorize a loop over one flat array at two different offsets).
 * Each element is accumulated over {@code t} in order from {@code 0.0} with {@link Math#fma},
 * as the vector kernel does, so both give the same bits. Scratch space is per thread and grows
 * to the largest product seen, so warm calls allocate nothing.
 */
final class PortableGemm implements Gemm.Impl {
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
    double[][] bp = pack(s, b, bOff, ldb, k, n);
    double[][] acc = accumulators(s, n);
    double[] r0 = acc[0];
    double[] r1 = acc[1];
    double[] r2 = acc[2];
    double[] r3 = acc[3];
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      Arrays.fill(r0, 0, n, 0.0);
      Arrays.fill(r1, 0, n, 0.0);
      Arrays.fill(r2, 0, n, 0.0);
      Arrays.fill(r3, 0, n, 0.0);
      int a0 = aOff + i * ars;
      for (int t = 0; t < k; t++) {
        int at = a0 + t * acs;
        double x0 = a[at];
        double x1 = a[at + ars];
        double x2 = a[at + 2 * ars];
        double x3 = a[at + 3 * ars];
        double[] br = bp[t];
        for (int j = 0; j < n; j++) {
          double bv = br[j];
          r0[j] = Math.fma(x0, bv, r0[j]);
          r1[j] = Math.fma(x1, bv, r1[j]);
          r2[j] = Math.fma(x2, bv, r2[j]);
          r3[j] = Math.fma(x3, bv, r3[j]);
        }
      }
      store(r0, c, cOff + i * ldc, n, div);
      store(r1, c, cOff + (i + 1) * ldc, n, div);
      store(r2, c, cOff + (i + 2) * ldc, n, div);
      store(r3, c, cOff + (i + 3) * ldc, n, div);
    }
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
      store(r0, c, cOff + i * ldc, n, div);
    }
  }

  /** B's rows {@code 0..k-1} (n elements each) copied into separate arrays. */
  private static double[][] pack(Scratch s, double[] b, int bOff, int ldb, int k, int n) {
    if (s.b.length < k || (k > 0 && s.b[0].length < n)) {
      int rows = Math.max(k, s.b.length);
      int cols = Math.max(n, s.b.length > 0 ? s.b[0].length : 0);
      s.b = new double[rows][cols];
    }
    for (int t = 0; t < k; t++) {
      System.arraycopy(b, bOff + t * ldb, s.b[t], 0, n);
    }
    return s.b;
  }

  private static double[][] accumulators(Scratch s, int n) {
    if (s.acc[0].length < n) {
      s.acc = new double[4][n];
    }
    return s.acc;
  }

  /** One row of C: the sums, divided by {@code div} unless it is 1 (which gives the same bits). */
  private static void store(double[] row, double[] c, int co, int n, double div) {
    if (div == 1.0) {
      System.arraycopy(row, 0, c, co, n);
    } else {
      for (int j = 0; j < n; j++) {
        c[co + j] = row[j] / div;
      }
    }
  }

  @Override
  public void tanh(double[] x, int off, int n) {
    FastMath.scalarTanh(x, off, n);
  }
}
