package org.gradc.runtime;

/**
 * Activations for generated code, bit-reproducible: {@link #tanh(double)} is computed from
 * {@code +, −, ×, ÷} and exponent arithmetic in one fixed order (no {@code Math.exp}, whose
 * intrinsic may differ from {@code StrictMath.exp}, no fused multiply-add), so it gives the same
 * bits interpreted and compiled by C1 or C2, on every JVM and CPU. The array form runs the same
 * operations on {@code jdk.incubator.vector} lanes where the JVM has that module (see
 * {@link Gemm}), or in loops C2 auto-vectorizes where it has not, and gives exactly the same bits
 * as the scalar form.
 */
public final class FastMath {
  /** Elements from which the array form runs on vectors (it allocates until C2 compiles it). */
  static final int VECTOR_MIN = 512;

  // tanh(a) = -t / (2 + t) with t = expm1(-2a) = 2^k (1 + p(r)) - 1, -2a = k ln2 + r
  static final double LIMIT = 22.0;
  static final double INV_LN2 = 0x1.71547652b82fep0;
  /** 1.5 · 2^52: adding it rounds to an integer held in the low bits of the sum. */
  static final double SHIFT = 0x1.8p52;
  /** ln 2 in two parts, the first with trailing zero bits so that k · LN2_HI is exact. */
  static final double LN2_HI = 0x1.62e42feep-1;
  static final double LN2_LO = 0x1.a39ef35793c76p-33;
  /** 1/n! for n = 2 … 14: expm1(r) = r + r² (C[0] + r (C[1] + …)), error below 2^-56 for |r| ≤ ln2/2. */
  static final double[] C = new double[13];
  static final long SIGN = 0x8000000000000000L;

  static {
    double f = 1.0;
    for (int n = 2; n <= 14; n++) {
      f *= n;
      C[n - 2] = 1.0 / f;
    }
  }

  private static final double C2 = C[0];
  private static final double C3 = C[1];
  private static final double C4 = C[2];
  private static final double C5 = C[3];
  private static final double C6 = C[4];
  private static final double C7 = C[5];
  private static final double C8 = C[6];
  private static final double C9 = C[7];
  private static final double C10 = C[8];
  private static final double C11 = C[9];
  private static final double C12 = C[10];
  private static final double C13 = C[11];
  private static final double C14 = C[12];

  private FastMath() {}

  /**
   * The hyperbolic tangent, within 3 ulps of the exact value (±1 from |x| = 22 on, where the
   * exact value rounds to ±1; NaN for NaN; the sign of zero kept).
   */
  public static double tanh(double x) {
    double a = Math.min(Math.abs(x), LIMIT);
    double y = -2.0 * a;
    double kd = y * INV_LN2 + SHIFT;
    double k = kd - SHIFT;
    double r = (y - k * LN2_HI) - k * LN2_LO;
    double p = C14;
    p = p * r + C13;
    p = p * r + C12;
    p = p * r + C11;
    p = p * r + C10;
    p = p * r + C9;
    p = p * r + C8;
    p = p * r + C7;
    p = p * r + C6;
    p = p * r + C5;
    p = p * r + C4;
    p = p * r + C3;
    p = p * r + C2;
    double em = (r * r) * p + r;
    // 2^k from the integer in kd's low bits (k is in [-64, 0])
    double two = Double.longBitsToDouble((Double.doubleToRawLongBits(kd) + 1023) << 52);
    double t = two * em + (two - 1.0);
    double q = -t / (t + 2.0);
    return Double.longBitsToDouble(Double.doubleToRawLongBits(q) & ~SIGN
        | Double.doubleToRawLongBits(x) & SIGN);
  }

  /** {@code x[off + i] = tanh(x[off + i])} for {@code i < n}: the bits of {@link #tanh(double)}. */
  public static void tanh(double[] x, int off, int n) {
    if (n < VECTOR_MIN) {
      scalarTanh(x, off, n);
    } else {
      Gemm.IMPL.tanh(x, off, n);
    }
  }

  static void scalarTanh(double[] x, int off, int n) {
    for (int i = off; i < off + n; i++) {
      x[i] = tanh(x[i]);
    }
  }

  /**
   * {@code x[off + i] = tanh(x[off + i])} for {@code i < n} in {@code float}: each the
   * {@code double} {@link #tanh(double)} of the element, rounded to {@code float}, so the bits
   * are the same interpreted and compiled, on vectors or not.
   */
  public static void tanh(float[] x, int off, int n) {
    if (n < VECTOR_MIN) {
      portableTanh(x, off, n);
    } else {
      Gemm.FLOAT_IMPL.tanh(x, off, n);
    }
  }

  /** Per thread: the doubles a float array's tanh is computed in, a chunk at a time. */
  private static final ThreadLocal<double[]> WIDE = ThreadLocal.withInitial(() -> new double[256]);

  /**
   * The float array form without the Vector API: widened in chunks and computed by the double
   * one, {@link #portableTanh(double[], int, int)} (the same bits as {@link #tanh(double)}
   * element by element, and far faster than calls on floats one by one).
   */
  static void portableTanh(float[] x, int off, int n) {
    double[] w = WIDE.get();
    for (int from = off; from < off + n; from += w.length) {
      int len = Math.min(w.length, off + n - from);
      for (int i = 0; i < len; i++) {
        w[i] = x[from + i];
      }
      portableTanh(w, 0, len);
      for (int i = 0; i < len; i++) {
        x[from + i] = (float) w[i];
      }
    }
  }

  /**
   * Elements per block of {@link #portableTanh(double[], int, int)}: its four scratch rows stay
   * in the L1 cache.
   */
  private static final int BLOCK = 512;

  /** The scratch rows of {@link #portableTanh(double[], int, int)}, per thread. */
  private static final class Rows {
    final double[] x = new double[BLOCK];
    final double[] k = new double[BLOCK];
    final double[] r = new double[BLOCK];
    final double[] p = new double[BLOCK];
  }

  private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

  /**
   * The array form without the Vector API: {@link #tanh(double)}'s operations in the same order,
   * as passes over blocks, each loop short enough for C2 to auto-vectorize it (it gives up on a
   * loop as long as the whole function) and reading every array at the same index; only the
   * exponent and sign bits are moved in scalar loops. The same bits, about 4 times faster than
   * {@link #scalarTanh} (measured).
   */
  static void portableTanh(double[] x, int off, int n) {
    Rows s = ROWS.get();
    for (int b = 0; b < n; b += BLOCK) {
      int len = Math.min(BLOCK, n - b);
      System.arraycopy(x, off + b, s.x, 0, len);
      tanhBlock(s, len);
      double[] q = s.p;
      double[] v = s.x;
      int o = off + b;
      for (int i = 0; i < len; i++) {
        x[o + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(q[i]) & ~SIGN
            | Double.doubleToRawLongBits(v[i]) & SIGN);
      }
    }
  }

  /** {@code s.p[i] = |tanh(s.x[i])|} with {@code -0.0} at zero, before the sign is copied. */
  private static void tanhBlock(Rows s, int len) {
    double[] v = s.x;
    double[] kd = s.k;
    double[] r = s.r;
    double[] p = s.p;
    for (int i = 0; i < len; i++) {
      double y = -2.0 * Math.min(Math.abs(v[i]), LIMIT);
      double d = y * INV_LN2 + SHIFT;
      double k = d - SHIFT;
      kd[i] = d;
      r[i] = (y - k * LN2_HI) - k * LN2_LO;
    }
    for (int i = 0; i < len; i++) {
      double ri = r[i];
      double q = C14 * ri + C13;
      q = q * ri + C12;
      q = q * ri + C11;
      q = q * ri + C10;
      q = q * ri + C9;
      p[i] = q * ri + C8;
    }
    for (int i = 0; i < len; i++) {
      double ri = r[i];
      double q = p[i] * ri + C7;
      q = q * ri + C6;
      q = q * ri + C5;
      q = q * ri + C4;
      q = q * ri + C3;
      q = q * ri + C2;
      p[i] = (ri * ri) * q + ri;
    }
    for (int i = 0; i < len; i++) {
      kd[i] = Double.longBitsToDouble((Double.doubleToRawLongBits(kd[i]) + 1023) << 52);
    }
    for (int i = 0; i < len; i++) {
      double two = kd[i];
      double t = two * p[i] + (two - 1.0);
      p[i] = -t / (t + 2.0);
    }
  }

  /** √(2/π), as PyTorch spells it: √2 · (2/√π) · 0.5. */
  static final double GELU_BETA = Math.sqrt(2.0) * (2.0 / Math.sqrt(Math.PI)) * 0.5;
  static final double GELU_KAPPA = 0.044715;

  /**
   * GELU in PyTorch's tanh form ({@code approximate='tanh'}):
   * {@code 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))}, with {@link #tanh(double)}, so it gives the
   * same bits interpreted and compiled.
   */
  public static double gelu(double x) {
    double inner = GELU_BETA * (x + GELU_KAPPA * (x * x * x));
    return 0.5 * x * (1.0 + tanh(inner));
  }
}
