package org.gradc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked kernel of {@link Gemm} on {@code jdk.incubator.vector}: blocks of 4 rows
 * by 2 vectors of C held in registers while the inner index runs, then stored once. Multiplies
 * and adds stay separate (no fused multiply-add), so every element is the same sum, rounded the
 * same way, as in {@link PortableGemm}. Loaded only when the JVM has the module.
 */
final class VectorGemm implements Gemm.Impl {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  static {
    // Load and initialize every vector class the kernels use before C2 compiles them: an
    // intrinsic whose classes are not yet loaded fails to inline, and the compiled kernel then
    // boxes every vector (about 15 times slower, and allocating) until it is recompiled.
    double[] x = new double[4 * L];
    DoubleVector v = DoubleVector.fromArray(S, x, 0);
    v = DoubleVector.broadcast(S, 1.0).fma(v, DoubleVector.zero(S)).mul(0.5).div(2.0).add(v);
    v = tanh(v.sub(v));
    v.intoArray(x, L);
  }

  @Override
  public void mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b,
      int bOff, int ldb, double[] c, int cOff, int ldc, double div) {
    // The blocks multiply by scale without a branch: 1, or the exact reciprocal of a power of
    // two (the same bits as dividing); any other divisor divides afterwards.
    boolean exact = div == 1.0 || powerOfTwo(div);
    double scale = exact ? 1.0 / div : 1.0;
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      int i = 0;
      for (; i + 8 <= m; i += 8) {
        block8x2(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
      }
      for (; i + 4 <= m; i += 4) {
        block4x2(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
      }
      for (; i < m; i++) {
        block1x2(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
      }
    }
    for (; j + L <= n; j += L) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        block4x1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
      }
      for (; i < m; i++) {
        block1x1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
      }
    }
    if (j < n) {
      tail(m, j, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, scale);
    }
    if (!exact) {
      for (int i = 0; i < m; i++) {
        int co = cOff + i * ldc;
        for (int jj = 0; jj < n; jj++) {
          c[co + jj] /= div;
        }
      }
    }
  }

  /**
   * Columns {@code j0 <= j < n} (fewer than a vector): four rows at a time, so four independent
   * sums are in flight instead of one chain of dependent multiply-adds.
   */
  private static void tail(int m, int j0, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * ars;
      int a1 = a0 + ars;
      int a2 = a1 + ars;
      int a3 = a2 + ars;
      for (int j = j0; j < n; j++) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int bo = bOff + j;
        int at = 0;
        for (int t = 0; t < k; t++) {
          double y = b[bo];
          s0 = Math.fma(a[a0 + at], y, s0);
          s1 = Math.fma(a[a1 + at], y, s1);
          s2 = Math.fma(a[a2 + at], y, s2);
          s3 = Math.fma(a[a3 + at], y, s3);
          bo += ldb;
          at += acs;
        }
        int co = cOff + i * ldc + j;
        c[co] = s0 * scale;
        c[co + ldc] = s1 * scale;
        c[co + 2 * ldc] = s2 * scale;
        c[co + 3 * ldc] = s3 * scale;
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * ars;
      int co = cOff + i * ldc;
      for (int j = j0; j < n; j++) {
        double s = 0.0;
        int bo = bOff + j;
        for (int t = 0; t < k; t++) {
          s = Math.fma(a[ai + t * acs], b[bo + t * ldb], s);
        }
        c[co + j] = s * scale;
      }
    }
  }

  private static void block8x2(int i, int j, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int a0 = aOff + i * ars;
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    int a4 = a3 + ars;
    int a5 = a4 + ars;
    int a6 = a5 + ars;
    int a7 = a6 + ars;
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    DoubleVector c40 = c00;
    DoubleVector c41 = c00;
    DoubleVector c50 = c00;
    DoubleVector c51 = c00;
    DoubleVector c60 = c00;
    DoubleVector c61 = c00;
    DoubleVector c70 = c00;
    DoubleVector c71 = c00;
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bo + L);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + at]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, a[a1 + at]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, a[a2 + at]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, a[a3 + at]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(S, a[a4 + at]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(S, a[a5 + at]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = DoubleVector.broadcast(S, a[a6 + at]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = DoubleVector.broadcast(S, a[a7 + at]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
      bo += ldb;
      at += acs;
    }
    c00 = c00.mul(scale);
    c01 = c01.mul(scale);
    c10 = c10.mul(scale);
    c11 = c11.mul(scale);
    c20 = c20.mul(scale);
    c21 = c21.mul(scale);
    c30 = c30.mul(scale);
    c31 = c31.mul(scale);
    c40 = c40.mul(scale);
    c41 = c41.mul(scale);
    c50 = c50.mul(scale);
    c51 = c51.mul(scale);
    c60 = c60.mul(scale);
    c61 = c61.mul(scale);
    c70 = c70.mul(scale);
    c71 = c71.mul(scale);
    int co = cOff + i * ldc + j;
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
    co += ldc;
    c10.intoArray(c, co);
    c11.intoArray(c, co + L);
    co += ldc;
    c20.intoArray(c, co);
    c21.intoArray(c, co + L);
    co += ldc;
    c30.intoArray(c, co);
    c31.intoArray(c, co + L);
    co += ldc;
    c40.intoArray(c, co);
    c41.intoArray(c, co + L);
    co += ldc;
    c50.intoArray(c, co);
    c51.intoArray(c, co + L);
    co += ldc;
    c60.intoArray(c, co);
    c61.intoArray(c, co + L);
    co += ldc;
    c70.intoArray(c, co);
    c71.intoArray(c, co + L);
  }

  /**
   * Whether x / d equals x * (1 / d) for every x: d is a power of two (its reciprocal is exact,
   * and both are the correctly rounded value of the same real number).
   */
  static boolean powerOfTwo(double d) {
    return d > 0 && d == Math.scalb(1.0, Math.getExponent(d)) && Math.getExponent(d) > -1000
        && Math.getExponent(d) < 1000;
  }

  private static void block4x2(int i, int j, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int a0 = aOff + i * ars;
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bo + L);
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + at]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(S, a[a1 + at]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(S, a[a2 + at]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(S, a[a3 + at]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      bo += ldb;
      at += acs;
    }
    c00 = c00.mul(scale);
    c01 = c01.mul(scale);
    c10 = c10.mul(scale);
    c11 = c11.mul(scale);
    c20 = c20.mul(scale);
    c21 = c21.mul(scale);
    c30 = c30.mul(scale);
    c31 = c31.mul(scale);
    int co = cOff + i * ldc + j;
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
    co += ldc;
    c10.intoArray(c, co);
    c11.intoArray(c, co + L);
    co += ldc;
    c20.intoArray(c, co);
    c21.intoArray(c, co + L);
    co += ldc;
    c30.intoArray(c, co);
    c31.intoArray(c, co + L);
  }

  private static void block1x2(int i, int j, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int a0 = aOff + i * ars;
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      DoubleVector x = DoubleVector.broadcast(S, a[a0 + at]);
      c00 = x.fma(DoubleVector.fromArray(S, b, bo), c00);
      c01 = x.fma(DoubleVector.fromArray(S, b, bo + L), c01);
      bo += ldb;
      at += acs;
    }
    c00 = c00.mul(scale);
    c01 = c01.mul(scale);
    int co = cOff + i * ldc + j;
    c00.intoArray(c, co);
    c01.intoArray(c, co + L);
  }

  private static void block4x1(int i, int j, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int a0 = aOff + i * ars;
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector c1 = c0;
    DoubleVector c2 = c0;
    DoubleVector c3 = c0;
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
      c0 = DoubleVector.broadcast(S, a[a0 + at]).fma(b0, c0);
      c1 = DoubleVector.broadcast(S, a[a1 + at]).fma(b0, c1);
      c2 = DoubleVector.broadcast(S, a[a2 + at]).fma(b0, c2);
      c3 = DoubleVector.broadcast(S, a[a3 + at]).fma(b0, c3);
      bo += ldb;
      at += acs;
    }
    c0 = c0.mul(scale);
    c1 = c1.mul(scale);
    c2 = c2.mul(scale);
    c3 = c3.mul(scale);
    int co = cOff + i * ldc + j;
    c0.intoArray(c, co);
    c1.intoArray(c, co + ldc);
    c2.intoArray(c, co + 2 * ldc);
    c3.intoArray(c, co + 3 * ldc);
  }

  private static void block1x1(int i, int j, int k, double[] a, int aOff, int ars, int acs,
      double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, double scale) {
    int a0 = aOff + i * ars;
    DoubleVector c0 = DoubleVector.zero(S);
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      c0 = DoubleVector.broadcast(S, a[a0 + at]).fma(DoubleVector.fromArray(S, b, bo), c0);
      bo += ldb;
      at += acs;
    }
    c0 = c0.mul(scale);
    c0.intoArray(c, cOff + i * ldc + j);
  }

  /**
   * {@link FastMath#tanh(double)} on vector lanes: the same operations in the same order (lanewise
   * {@code +, −, ×, ÷} are exactly rounded like the scalar ones), so the same bits; the Vector
   * API's own {@code lanewise(TANH)} or {@code EXP} differ between the interpreter and C2.
   */
  @Override
  public void tanh(double[] x, int off, int n) {
    int i = off;
    int end = off + n;
    for (; i + L <= end; i += L) {
      tanh(DoubleVector.fromArray(S, x, i)).intoArray(x, i);
    }
    FastMath.scalarTanh(x, i, end - i);
  }

  /** Also the f32 kernel's tanh, on floats widened to doubles ({@link VectorFloatGemm}). */
  static DoubleVector tanh(DoubleVector x) {
    DoubleVector a = x.abs().min(FastMath.LIMIT);
    DoubleVector y = a.mul(-2.0);
    DoubleVector kd = y.mul(FastMath.INV_LN2).add(FastMath.SHIFT);
    DoubleVector k = kd.sub(FastMath.SHIFT);
    DoubleVector r = y.sub(k.mul(FastMath.LN2_HI)).sub(k.mul(FastMath.LN2_LO));
    double[] c = FastMath.C;
    DoubleVector p = DoubleVector.broadcast(S, c[12]);
    for (int j = 11; j >= 0; j--) {
      p = p.mul(r).add(c[j]);
    }
    DoubleVector em = r.mul(r).mul(p).add(r);
    DoubleVector two = kd.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52)
        .reinterpretAsDoubles();
    DoubleVector t = two.mul(em).add(two.sub(1.0));
    DoubleVector q = t.neg().div(t.add(2.0));
    return q.reinterpretAsLongs().and(~FastMath.SIGN)
        .or(x.reinterpretAsLongs().and(FastMath.SIGN)).reinterpretAsDoubles();
  }
}
