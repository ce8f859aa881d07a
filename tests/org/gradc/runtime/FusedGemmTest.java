package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dense layers in the product kernel's epilogue: {@code act(A · B + bias)} from every entry
 * point (the dispatched kernel, the portable one, two threads, transposed weights), in
 * {@code double} and {@code float}, against the plain product followed by the bias and the
 * activation as the generated code computes them unfused: the same bits, including for NaN,
 * signed zeros and saturated tanh, and nothing written outside C.
 */
class FusedGemmTest {
  /** Shapes around the panel (64 rows), the vector lengths and the portable NARROW width. */
  private static final int[][] SHAPES = {
      {1, 8, 3}, {3, 10, 17}, {4, 16, 5}, {5, 15, 64}, {8, 17, 9}, {63, 64, 33}, {64, 128, 20},
      {65, 64, 64}, {130, 33, 31}, {200, 10, 128}, {129, 131, 7}, {7, 200, 1}};

  @Test
  void everyShapeAndActivationGivesTheUnfusedBits() {
    Random r = new Random(14);
    for (int[] s : SHAPES) {
      for (Activation act : Activation.values()) {
        int pad = r.nextInt(3);
        checkDouble(r, s[0], s[1], s[2], pad, act);
        checkFloat(r, s[0], s[1], s[2], pad, act);
      }
    }
  }

  @Test
  void randomShapesGiveTheUnfusedBits() {
    Random r = new Random(2026);
    Activation[] acts = Activation.values();
    for (int trial = 0; trial < 150; trial++) {
      int m = 1 + r.nextInt(trial % 3 == 0 ? 300 : 70);
      int n = 1 + r.nextInt(trial % 2 == 0 ? PortableGemm.NARROW + 2 : 140);
      int k = 1 + r.nextInt(100);
      Activation act = acts[r.nextInt(acts.length)];
      checkDouble(r, m, n, k, r.nextInt(3), act);
      checkFloat(r, m, n, k, r.nextInt(3), act);
    }
  }

  /** Above the two-thread threshold: the worker's rows get their epilogue too. */
  @Test
  void largeLayersOnTwoThreadsGiveTheUnfusedBits() {
    Random r = new Random(3);
    int m = 700;
    int n = 128;
    int k = 97;
    assertTrue((long) m * n * k >= Gemm.PARALLEL_MIN, "above the threshold");
    for (Activation act : Activation.values()) {
      checkDouble(r, m, n, k, 1, act);
      checkFloat(r, m, n, k, 1, act);
    }
  }

  /** A layer written {@code W @ x}: the product against transposed weights, then the epilogue. */
  @Test
  void transposedWeightsGiveTheUnfusedBits() {
    Random r = new Random(9);
    for (int[] s : SHAPES) {
      for (Activation act : Activation.values()) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        double[] a = random(r, m * k);
        double[] w = random(r, 3 + n * k);
        double[] bias = biases(r, 2 + n);
        double[] want = new double[m * n];
        Gemm.mulTransposed(m, n, k, a, 0, k, 1, w, 3, k, new double[k * n], want, 0, n);
        unfused(want, 0, n, m, n, bias, 2, act);
        double[] got = new double[m * n];
        Gemm.mulTransposed(m, n, k, a, 0, k, 1, w, 3, k, new double[k * n], got, 0, n, bias, 2,
            act);
        assertArrayEquals(want, got, "double " + act + " " + m + "x" + n + "x" + k);
        float[] fa = narrow(a);
        float[] fw = narrow(w);
        float[] fbias = narrow(bias);
        float[] fwant = new float[m * n];
        Gemm.mulTransposed(m, n, k, fa, 0, k, 1, fw, 3, k, new float[k * n], fwant, 0, n);
        unfused(fwant, 0, n, m, n, fbias, 2, act);
        float[] fgot = new float[m * n];
        Gemm.mulTransposed(m, n, k, fa, 0, k, 1, fw, 3, k, new float[k * n], fgot, 0, n, fbias, 2,
            act);
        assertArrayEquals(fwant, fgot, "float " + act + " " + m + "x" + n + "x" + k);
      }
    }
  }

  /**
   * The dispatched and the portable kernel against the product then the unfused epilogue, with
   * offsets and a leading dimension of C wider than n ({@code pad} spare elements).
   */
  private static void checkDouble(Random r, int m, int n, int k, int pad, Activation act) {
    int lda = k + pad;
    int ldb = n + pad;
    int ldc = n + pad;
    int off = pad + 1;
    double[] a = random(r, off + m * lda);
    double[] b = random(r, off + k * ldb);
    double[] bias = biases(r, off + n);
    double[] want = filled(off + m * ldc + pad, r);
    double[] fresh = want.clone();
    Gemm.mul(m, n, k, a, off, lda, 1, b, off, ldb, want, off, ldc, 1.0);
    unfused(want, off, ldc, m, n, bias, off, act);
    String what = "double " + act + " " + m + "x" + n + "x" + k + " pad " + pad;
    double[] got = fresh.clone();
    Gemm.mul(m, n, k, a, off, lda, 1, b, off, ldb, got, off, ldc, bias, off, act);
    assertArrayEquals(want, got, "dispatched " + what);
    got = fresh.clone();
    Gemm.portable(m, n, k, a, off, lda, 1, b, off, ldb, got, off, ldc, bias, off, act);
    assertArrayEquals(want, got, "portable " + what);
  }

  private static void checkFloat(Random r, int m, int n, int k, int pad, Activation act) {
    int lda = k + pad;
    int ldb = n + pad;
    int ldc = n + pad;
    int off = pad + 1;
    float[] a = narrow(random(r, off + m * lda));
    float[] b = narrow(random(r, off + k * ldb));
    float[] bias = narrow(biases(r, off + n));
    float[] want = narrow(filled(off + m * ldc + pad, r));
    float[] fresh = want.clone();
    Gemm.mul(m, n, k, a, off, lda, 1, b, off, ldb, want, off, ldc, 1f);
    unfused(want, off, ldc, m, n, bias, off, act);
    String what = "float " + act + " " + m + "x" + n + "x" + k + " pad " + pad;
    float[] got = fresh.clone();
    Gemm.mul(m, n, k, a, off, lda, 1, b, off, ldb, got, off, ldc, bias, off, act);
    assertArrayEquals(want, got, "dispatched " + what);
    got = fresh.clone();
    Gemm.portable(m, n, k, a, off, lda, 1, b, off, ldb, got, off, ldc, bias, off, act);
    assertArrayEquals(want, got, "portable " + what);
  }

  /** The generated code's unfused elementwise kernel: {@code act(c + bias)} element by element. */
  private static void unfused(double[] c, int co, int ldc, int m, int n, double[] bias, int bo,
      Activation act) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double z = c[co + i * ldc + j] + bias[bo + j];
        c[co + i * ldc + j] = switch (act) {
          case IDENTITY -> z;
          case RELU -> z > 0.0 ? z : 0.0;
          case TANH -> FastMath.tanh(z);
          case SIGMOID -> z >= 0.0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
        };
      }
    }
  }

  /** In {@code float}: the sum rounded, tanh of the widened sum rounded, each exp rounded. */
  private static void unfused(float[] c, int co, int ldc, int m, int n, float[] bias, int bo,
      Activation act) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float z = c[co + i * ldc + j] + bias[bo + j];
        float e = (float) Math.exp(z);
        c[co + i * ldc + j] = switch (act) {
          case IDENTITY -> z;
          case RELU -> z > 0f ? z : 0f;
          case TANH -> (float) FastMath.tanh((double) z);
          case SIGMOID -> z >= 0f ? 1f / (1f + (float) Math.exp(-z)) : e / (1f + e);
        };
      }
    }
  }

  private static double[] random(Random r, int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  /** Biases with the awkward values: NaN, both zeros, and ones that saturate tanh and exp. */
  private static double[] biases(Random r, int size) {
    double[] special = {Double.NaN, 0.0, -0.0, 25.0, -25.0, 800.0, -800.0};
    double[] v = random(r, size);
    for (int i = 0; i < size; i++) {
      if (r.nextInt(6) == 0) {
        v[i] = special[r.nextInt(special.length)];
      }
    }
    return v;
  }

  /** Marked values around C, which no call may overwrite. */
  private static double[] filled(int size, Random r) {
    double[] v = new double[size];
    java.util.Arrays.fill(v, -12345.5 + r.nextInt(3));
    return v;
  }

  private static float[] narrow(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }
}
