package org.gradc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code float} products of {@link Gemm} on {@code jdk.incubator.vector}: blocks of 4 rows
 * by 2 vectors of C (16 floats per vector register on AVX-512, 8 on AVX2) held in registers
 * while the inner index runs. Every element is the same chain of fused multiply-adds over
 * {@code t} in order from 0 as in {@link PortableFloatGemm}, divided afterwards, so both give the
 * same bits. Loaded only when the JVM has the module.
 */
final class VectorFloatGemm implements Gemm.FloatImpl {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Doubles per vector, and a float species of as many lanes, for tanh. */
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
      VectorShape.forBitSize(D.vectorBitSize() / 2));

  static {
    // load the vector classes before C2 compiles the kernel (see VectorGemm)
    float[] x = new float[2 * L];
    FloatVector v = FloatVector.fromArray(S, x, 0);
    FloatVector.broadcast(S, 1f).fma(v, FloatVector.zero(S)).add(v).intoArray(x, L);
    float[] t = new float[D.length()];
    new VectorFloatGemm().tanh(t, 0, t.length);
  }

  @Override
  public void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, float div) {
    int j = 0;
    for (; j + 2 * L <= n; j += 2 * L) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        block4x2(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
      }
      for (; i < m; i++) {
        block1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
        block1(i, j + L, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
      }
    }
    for (; j + L <= n; j += L) {
      for (int i = 0; i < m; i++) {
        block1(i, j, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc);
      }
    }
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * ars;
      int co = cOff + i * ldc;
      for (int jj = j; jj < n; jj++) {
        float s = 0f;
        for (int t = 0; t < k; t++) {
          s = Math.fma(a[ai + t * acs], b[bOff + t * ldb + jj], s);
        }
        c[co + jj] = s;
      }
    }
    if (div != 1f) {
      for (int i = 0; i < m; i++) {
        int co = cOff + i * ldc;
        for (int jj = 0; jj < n; jj++) {
          c[co + jj] /= div;
        }
      }
    }
  }

  private static void block4x2(int i, int j, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int a0 = aOff + i * ars;
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
      FloatVector x = FloatVector.broadcast(S, a[a0 + at]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(S, a[a1 + at]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(S, a[a2 + at]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(S, a[a3 + at]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      bo += ldb;
      at += acs;
    }
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

  /** One vector of row i of C. */
  private static void block1(int i, int j, int k, float[] a, int aOff, int ars, int acs,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    int a0 = aOff + i * ars;
    FloatVector c0 = FloatVector.zero(S);
    int bo = bOff + j;
    int at = 0;
    for (int t = 0; t < k; t++) {
      c0 = FloatVector.broadcast(S, a[a0 + at]).fma(FloatVector.fromArray(S, b, bo), c0);
      bo += ldb;
      at += acs;
    }
    c0.intoArray(c, cOff + i * ldc + j);
  }

  /**
   * Each element's double tanh rounded to float, as the portable kernel computes it: floats
   * widened to double lanes (exactly), the f64 kernel's lanewise tanh (the bits of
   * {@link FastMath#tanh(double)}), and rounded back.
   */
  @Override
  public void tanh(float[] x, int off, int n) {
    int i = off;
    int end = off + n;
    int lanes = D.length();
    for (; i + lanes <= end; i += lanes) {
      DoubleVector d = (DoubleVector) FloatVector.fromArray(F, x, i)
          .convertShape(VectorOperators.F2D, D, 0);
      ((FloatVector) VectorGemm.tanh(d).convertShape(VectorOperators.D2F, F, 0)).intoArray(x, i);
    }
    FastMath.scalarTanh(x, i, end - i);
  }
}
