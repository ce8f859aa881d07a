package org.gradc.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The array tanh of the Vector API kernels, {@code double} and {@code float} (which computes in
 * double chunks): loaded only when the JVM has the module.
 */
final class VectorTanh {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

  private VectorTanh() {}

  /**
   * {@code x[off + i] = tanh(x[off + i])} for {@code i < n}: {@link FastMath#tanh(double)} on
   * double lanes, the same operations in the same order (lanewise {@code +, −, ×, ÷} are exactly
   * rounded like the scalar ones), so the same bits; the Vector API's own {@code lanewise(TANH)}
   * or {@code EXP} differ between the interpreter and C2. The function is written out in the loop
   * rather than called: a method returning a vector that C2 has compiled on its own is too big to
   * inline later, and each vector it returns is then allocated. Four vectors at a time, their
   * steps interleaved: one vector's chain of about 40 dependent operations left the loop bound by
   * their latency (twice as slow, measured on AVX2); 2^k is formed before the polynomial and the
   * argument read again for its sign, so the four chains fit in 16 vector registers. The last
   * elements (fewer than four vectors) take the portable loops, which give the same bits.
   */
  static void tanh(double[] x, int off, int n) {
    int i = off;
    int end = off + n;
    int w = D.length();
    double[] c = FastMath.C;
    for (; i + 4 * w <= end; i += 4 * w) {
      DoubleVector y0 = DoubleVector.fromArray(D, x, i).abs().min(FastMath.LIMIT).mul(-2.0);
      DoubleVector y1 = DoubleVector.fromArray(D, x, i + w).abs().min(FastMath.LIMIT).mul(-2.0);
      DoubleVector y2 = DoubleVector.fromArray(D, x, i + 2 * w).abs().min(FastMath.LIMIT)
          .mul(-2.0);
      DoubleVector y3 = DoubleVector.fromArray(D, x, i + 3 * w).abs().min(FastMath.LIMIT)
          .mul(-2.0);
      DoubleVector kd0 = y0.mul(FastMath.INV_LN2).add(FastMath.SHIFT);
      DoubleVector kd1 = y1.mul(FastMath.INV_LN2).add(FastMath.SHIFT);
      DoubleVector kd2 = y2.mul(FastMath.INV_LN2).add(FastMath.SHIFT);
      DoubleVector kd3 = y3.mul(FastMath.INV_LN2).add(FastMath.SHIFT);
      DoubleVector k0 = kd0.sub(FastMath.SHIFT);
      DoubleVector r0 = y0.sub(k0.mul(FastMath.LN2_HI)).sub(k0.mul(FastMath.LN2_LO));
      DoubleVector k1 = kd1.sub(FastMath.SHIFT);
      DoubleVector r1 = y1.sub(k1.mul(FastMath.LN2_HI)).sub(k1.mul(FastMath.LN2_LO));
      DoubleVector k2 = kd2.sub(FastMath.SHIFT);
      DoubleVector r2 = y2.sub(k2.mul(FastMath.LN2_HI)).sub(k2.mul(FastMath.LN2_LO));
      DoubleVector k3 = kd3.sub(FastMath.SHIFT);
      DoubleVector r3 = y3.sub(k3.mul(FastMath.LN2_HI)).sub(k3.mul(FastMath.LN2_LO));
      DoubleVector two0 = kd0.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles();
      DoubleVector two1 = kd1.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles();
      DoubleVector two2 = kd2.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles();
      DoubleVector two3 = kd3.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles();
      DoubleVector p0 = r0.broadcast(c[12]);
      DoubleVector p1 = p0;
      DoubleVector p2 = p0;
      DoubleVector p3 = p0;
      for (int j = 11; j >= 0; j--) {
        p0 = p0.mul(r0).add(c[j]);
        p1 = p1.mul(r1).add(c[j]);
        p2 = p2.mul(r2).add(c[j]);
        p3 = p3.mul(r3).add(c[j]);
      }
      DoubleVector t0 = two0.mul(r0.mul(r0).mul(p0).add(r0)).add(two0.sub(1.0));
      t0.neg().div(t0.add(2.0)).reinterpretAsLongs().and(~FastMath.SIGN)
          .or(DoubleVector.fromArray(D, x, i).reinterpretAsLongs().and(FastMath.SIGN))
          .reinterpretAsDoubles().intoArray(x, i);
      DoubleVector t1 = two1.mul(r1.mul(r1).mul(p1).add(r1)).add(two1.sub(1.0));
      t1.neg().div(t1.add(2.0)).reinterpretAsLongs().and(~FastMath.SIGN)
          .or(DoubleVector.fromArray(D, x, i + w).reinterpretAsLongs().and(FastMath.SIGN))
          .reinterpretAsDoubles().intoArray(x, i + w);
      DoubleVector t2 = two2.mul(r2.mul(r2).mul(p2).add(r2)).add(two2.sub(1.0));
      t2.neg().div(t2.add(2.0)).reinterpretAsLongs().and(~FastMath.SIGN)
          .or(DoubleVector.fromArray(D, x, i + 2 * w).reinterpretAsLongs().and(FastMath.SIGN))
          .reinterpretAsDoubles().intoArray(x, i + 2 * w);
      DoubleVector t3 = two3.mul(r3.mul(r3).mul(p3).add(r3)).add(two3.sub(1.0));
      t3.neg().div(t3.add(2.0)).reinterpretAsLongs().and(~FastMath.SIGN)
          .or(DoubleVector.fromArray(D, x, i + 3 * w).reinterpretAsLongs().and(FastMath.SIGN))
          .reinterpretAsDoubles().intoArray(x, i + 3 * w);
    }
    FastMath.portableTanh(x, i, end - i);
  }
}
