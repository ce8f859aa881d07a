package org.gradc.runtime;

import java.util.Arrays;

/**
 * The loop kernel of {@link Gemm}'s {@code float} products for JVMs without the Vector API,
 * shaped as the {@code double} one ({@link PortableGemm}) for C2's auto-vectorizer: B's rows
 * packed into separate arrays, two rows of C accumulated in separate arrays, so the inner loop
 * reads and writes every array at the same index. Each element is accumulated over {@code t} in
 * order from {@code 0} with {@link Math#fma(float, float, float)}, as the vector kernel does, so
 * both give the same bits. Scratch space is per thread and grows to the largest product seen.
 */
final class PortableFloatGemm implements Gemm.FloatImpl {
  /** Packed rows of B and two accumulator rows, per thread. */
  private static final class Scratch {
    float[][] b = new float[0][];
    float[] acc0 = new float[0];
    float[] acc1 = new float[0];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  @Override
  public void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, float div) {
    Scratch s = SCRATCH.get();
    float[][] bp = pack(s, b, bOff, ldb, k, n);
    if (s.acc0.length < n) {
      s.acc0 = new float[n];
      s.acc1 = new float[n];
    }
    float[] r0 = s.acc0;
    float[] r1 = s.acc1;
    for (int i = 0; i < m; i += 2) {
      boolean pair = i + 1 < m;
      Arrays.fill(r0, 0, n, 0f);
      Arrays.fill(r1, 0, n, 0f);
      int a0 = aOff + i * ars;
      // an odd last row multiplies row i twice and stores one
      int a1 = pair ? a0 + ars : a0;
      for (int t = 0; t < k; t++) {
        float x0 = a[a0 + t * acs];
        float x1 = a[a1 + t * acs];
        float[] br = bp[t];
        for (int j = 0; j < n; j++) {
          float bv = br[j];
          r0[j] = Math.fma(x0, bv, r0[j]);
          r1[j] = Math.fma(x1, bv, r1[j]);
        }
      }
      store(r0, c, cOff + i * ldc, n, div);
      if (pair) {
        store(r1, c, cOff + (i + 1) * ldc, n, div);
      }
    }
  }

  /** B's rows {@code 0..k-1} (n elements each) copied into separate arrays. */
  private static float[][] pack(Scratch s, float[] b, int bOff, int ldb, int k, int n) {
    if (s.b.length < k || (k > 0 && s.b[0].length < n)) {
      int rows = Math.max(k, s.b.length);
      int cols = Math.max(n, s.b.length > 0 ? s.b[0].length : 0);
      s.b = new float[rows][cols];
    }
    for (int t = 0; t < k; t++) {
      System.arraycopy(b, bOff + t * ldb, s.b[t], 0, n);
    }
    return s.b;
  }

  /** One row of C: the sums, divided by {@code div} unless it is 1 (which gives the same bits). */
  private static void store(float[] row, float[] c, int co, int n, float div) {
    if (div == 1f) {
      System.arraycopy(row, 0, c, co, n);
    } else {
      for (int j = 0; j < n; j++) {
        c[co + j] = row[j] / div;
      }
    }
  }

  @Override
  public void tanh(float[] x, int off, int n) {
    FastMath.scalarTanh(x, off, n);
  }
}
