package org.gradc.runtime;

/**
 * The loop kernel of {@link Gemm} for JVMs without the Vector API: one row of C at a time,
 * {@code i-t-j} order, each element accumulated over {@code t} in order from {@code 0.0} with
 * {@link Math#fma}.
 */
final class PortableGemm implements Gemm.Impl {
  @Override
  public void mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b,
      int bOff, int ldb, double[] c, int cOff, int ldc, double div) {
    for (int i = 0; i < m; i++) {
      int co = cOff + i * ldc;
      int ai = aOff + i * ars;
      for (int j = 0; j < n; j++) {
        c[co + j] = 0.0;
      }
      for (int t = 0; t < k; t++) {
        double x = a[ai + t * acs];
        int bo = bOff + t * ldb;
        for (int j = 0; j < n; j++) {
          c[co + j] = Math.fma(x, b[bo + j], c[co + j]);
        }
      }
      if (div != 1.0) {
        for (int j = 0; j < n; j++) {
          c[co + j] /= div;
        }
      }
    }
  }

  @Override
  public void tanh(double[] x, int off, int n) {
    FastMath.scalarTanh(x, off, n);
  }
}
