package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tanh of generated code: one set of bits, whichever path and compiler computes it. */
class FastMathTest {
  static double[] values(long seed, int n) {
    Random r = new Random(seed);
    double[] x = new double[n];
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 22.0, -22.0, 21.999999999999996, 19.0615, 1e-300,
        0.5 * Math.log(2), -0.5 * Math.log(2), Math.log(2), 0.34657359027997264};
    for (int i = 0; i < n; i++) {
      x[i] = switch (i < special.length ? -1 : r.nextInt(6)) {
        case -1 -> special[i];
        case 0 -> r.nextGaussian();
        case 1 -> r.nextGaussian() * 10;
        case 2 -> r.nextGaussian() * 1e-6;
        case 3 -> (r.nextDouble() - 0.5) * 50;
        case 4 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(80) - 60);
        default -> Double.longBitsToDouble(r.nextLong());
      };
    }
    return x;
  }

  @Test
  void vectorAndScalarTanhGiveTheSameBitsOnManyValues() {
    List<String> differ = new ArrayList<>();
    // many calls, so the kernels run interpreted, then compiled by C1 and C2
    for (int rep = 0; rep < 400; rep++) {
      double[] x = values(rep, 4096 + rep % 7);
      double[] array = x.clone();
      FastMath.tanh(array, 0, array.length);
      double[] impl = x.clone();
      Gemm.IMPL.tanh(impl, 3, impl.length - 3);
      // the portable blocks: a length that ends inside a block, from an offset
      double[] portable = x.clone();
      int from = rep % 5;
      int len = portable.length - from - rep % 600;
      FastMath.portableTanh(portable, from, len);
      for (int i = 0; i < x.length; i++) {
        long scalar = Double.doubleToLongBits(FastMath.tanh(x[i]));
        boolean inPortable = i >= from && i < from + len;
        long want = inPortable ? scalar : Double.doubleToLongBits(x[i]);
        if (scalar != Double.doubleToLongBits(array[i])
            || i >= 3 && scalar != Double.doubleToLongBits(impl[i])
            || want != Double.doubleToLongBits(portable[i])) {
          differ.add("tanh(" + x[i] + "): scalar " + FastMath.tanh(x[i]) + ", array "
              + array[i] + ", kernel " + impl[i] + ", portable " + portable[i]);
        }
      }
      if (differ.size() > 10) {
        break;
      }
    }
    assertEquals(List.of(), differ, "vectorized: " + Gemm.vectorized());
  }

  @Test
  void tanhIsWithinThreeUlpsOfStrictMath() {
    double[] x = values(99, 1 << 20);
    long worst = 0;
    double at = 0;
    for (double v : x) {
      double want = StrictMath.tanh(v);
      double got = FastMath.tanh(v);
      if (Double.isNaN(want)) {
        assertTrue(Double.isNaN(got));
        continue;
      }
      assertEquals(Math.copySign(1.0, want), Math.copySign(1.0, got), "sign of tanh(" + v + ")");
      long ulps = Math.abs(Double.doubleToLongBits(want) - Double.doubleToLongBits(got));
      if (ulps > worst) {
        worst = ulps;
        at = v;
      }
    }
    assertTrue(worst <= 3, worst + " ulps at " + at);
  }
}
