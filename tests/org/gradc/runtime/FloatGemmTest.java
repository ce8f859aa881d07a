package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The float products: the selected kernel (the Vector API one when the JVM has the module, as it
 * has under the Maven build) gives the same bits as the portable loops and as a plain chain of
 * float fused multiply-adds, on odd and random sizes, offsets, strides, a transposed A and
 * divisors, on one thread and split over two; the array tanh is the double tanh rounded; warm
 * portable products allocate nothing.
 */
class FloatGemmTest {
  @Test
  void vectorAndPortableKernelsGiveTheSameBits() {
    Random r = new Random(7);
    int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {4, 16, 9}, {9, 33, 17}, {32, 128, 784}, {13, 10, 128},
        {64, 64, 64}, {5, 47, 3}};
    for (int[] s : sizes) {
      for (boolean transposed : new boolean[] {false, true}) {
        for (float div : new float[] {1f, 32f, 3f}) {
          check(r, s[0], s[1], s[2], transposed, div, 2);
        }
      }
    }
  }

  /**
   * Random shapes (narrow ones, which the portable kernel runs transposed, among them), offsets,
   * leading dimensions, both layouts of A and divisors (powers of two, which the vector kernel
   * multiplies by, among them): both kernels give the plain sums' bits and write nothing outside C.
   */
  @Test
  void randomShapesStridesAndDivisorsGiveThePlainSumsBits() {
    Random r = new Random(2024);
    float[] divs = {1f, 2f, 3f, 0.5f, 7f, 256f, 1e-3f, 0x1p-120f};
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + r.nextInt(trial % 3 == 0 ? 200 : 40);
      int n = 1 + r.nextInt(trial % 2 == 0 ? PortableFloatGemm.NARROW + 2 : 90);
      int k = 1 + r.nextInt(trial % 5 == 0 ? 300 : 40);
      check(r, m, n, k, r.nextBoolean(), divs[r.nextInt(divs.length)], r.nextInt(4));
    }
  }

  /** Products above the two-thread threshold, wide and narrow (the transposed path), divisors. */
  @Test
  void largeProductsOnTwoThreadsGiveThePlainSumsBits() {
    Random r = new Random(99);
    int[][] shapes = {{4100, 13, 160}, {700, 128, 97}, {257, 255, 129}, {301, 203, 157}};
    float[] divs = {1f, 64f, 3f};
    for (int[] s : shapes) {
      assertTrue((long) s[0] * s[1] * s[2] >= Gemm.PARALLEL_MIN, "above the threshold");
      for (boolean transposed : new boolean[] {false, true}) {
        check(r, s[0], s[1], s[2], transposed, divs[r.nextInt(divs.length)], 1);
      }
    }
  }

  /**
   * The worker thread itself: float products handed to it compute rows on both threads (the
   * worker's rows among them in some of the products), and give the bits of one thread.
   */
  @Test
  void theWorkerSplitsFloatProductsWithTheSameBits() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Gemm.FloatImpl recording = new Gemm.FloatImpl() {
      @Override
      public void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
          int bOff, int ldb, float[] c, int cOff, int ldc, float div) {
        threads.add(Thread.currentThread().getName());
        Gemm.FLOAT_IMPL.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
      }

      @Override
      public void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
          int bOff, int ldb, float[] c, int cOff, int ldc, float[] bias, int biasOff,
          Activation act) {
        throw new AssertionError("not a dense layer");
      }

      @Override
      public void tanh(float[] x, int off, int n) {
        throw new AssertionError("not a product");
      }
    };
    GemmWorker worker = new GemmWorker(Gemm.IMPL, recording);
    Random r = new Random(5);
    int m = 203;
    int n = 75;
    int k = 64;
    float[] a = random(r, k * m);
    float[] b = random(r, k * n);
    float[] one = new float[m * n];
    float[] two = new float[m * n];
    for (int rep = 0; rep < 50 && !threads.contains("gradc-gemm"); rep++) {
      float div = rep % 2 == 0 ? 1f : 3f;
      Gemm.FLOAT_IMPL.mul(m, n, k, a, 0, 1, m, b, 0, n, one, 0, n, div);
      java.util.Arrays.fill(two, Float.NaN);
      assertTrue(worker.mul(m, n, k, a, 0, 1, m, b, 0, n, two, 0, n, div, null, 0, null), "the worker is free");
      assertArrayEquals(one, two, "two threads against one, / " + div);
    }
    assertTrue(threads.contains("gradc-gemm"), "rows computed on " + threads);
    assertTrue(threads.contains(Thread.currentThread().getName()), "rows computed on " + threads);
  }

  /**
   * Every row count up to 20 (with 6-row blocks, a last panel overlapping the one before) against
   * column counts that leave each kind of column block over (4, 2 and 1 vectors of 8 or 16 lanes,
   * and fewer than a vector), with both layouts of A: the plain sums' bits, nothing outside C.
   */
  @Test
  void everyRemainderOfTheRegisterBlocksGivesThePlainSumsBits() {
    Random r = new Random(61);
    int[] ns = {64, 128, 64 + 32 + 16 + 5, 128 + 48 + 7, 200};
    for (int m = 1; m <= 20; m++) {
      for (int n : ns) {
        check(r, m, n, 1 + r.nextInt(70), m % 2 == 0, m % 3 == 0 ? 4f : 1f, m % 4);
      }
    }
  }

  /** Both kernels against plain sums, with {@code pad} spare elements around every operand. */
  private static void check(Random r, int m, int n, int k, boolean transposedA, float div,
      int pad) {
    int aOff = pad + 1;
    int lda = (transposedA ? m : k) + pad;
    int ars = transposedA ? 1 : lda;
    int acs = transposedA ? lda : 1;
    float[] a = random(r, aOff + (transposedA ? k : m) * lda);
    int bOff = 2 * pad + 1;
    int ldb = n + pad + 1;
    float[] b = random(r, bOff + k * ldb);
    int cOff = pad;
    int ldc = n + pad / 2;
    float[] fast = new float[cOff + m * ldc + 1];
    float[] portable = new float[fast.length];
    java.util.Arrays.fill(fast, 42f);
    java.util.Arrays.fill(portable, 42f);
    Gemm.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, fast, cOff, ldc, div);
    Gemm.portable(m, n, k, a, aOff, ars, acs, b, bOff, ldb, portable, cOff, ldc, div);
    String what = m + "x" + n + "x" + k + (transposedA ? " Aᵀ" : "") + " / " + div;
    for (int idx = 0; idx < fast.length; idx++) {
      int row = (idx - cOff) / ldc;
      int col = (idx - cOff) % ldc;
      if (idx < cOff || row >= m || col >= n) {
        assertEquals(42f, fast[idx], 0f, what + ": wrote outside C at " + idx);
        assertEquals(42f, portable[idx], 0f, what + ": portable wrote outside C at " + idx);
        continue;
      }
      float s = 0f;
      for (int t = 0; t < k; t++) {
        s = Math.fma(a[aOff + row * ars + t * acs], b[bOff + t * ldb + col], s);
      }
      s = div == 1f ? s : s / div;
      assertEquals(s, portable[idx], 0f, what + " portable at " + row + "," + col);
      assertEquals(s, fast[idx], 0f, what + " vector at " + row + "," + col);
    }
  }

  /** {@code A · Wᵀ} in float, as {@code GemmTest} checks it in double. */
  @Test
  void transposedProductMatchesSums() {
    Random r = new Random(12);
    int m = 5;
    int k = 11;
    for (int n = 5; n <= 19; n += 7) {
      for (int ldw : new int[] {k, k + 3}) {
        float[] a = random(r, 3 + m * 14);
        float[] w = random(r, 2 + n * ldw);
        float[] c = new float[4 + m * 20];
        Gemm.mulTransposed(m, n, k, a, 3, 14, 1, w, 2, ldw, new float[k * n], c, 4, 20);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            float s = 0f;
            for (int t = 0; t < k; t++) {
              s = Math.fma(a[3 + i * 14 + t], w[2 + j * ldw + t], s);
            }
            assertEquals(s, c[4 + i * 20 + j], 0f, n + " rows of W " + ldw + " apart");
          }
        }
      }
    }
  }

  private static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void theVectorKernelIsUsedWhenTheModuleIsPresent() {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(present && !Boolean.getBoolean("gradc.portableGemm") ? "VectorFloatGemm"
        : "PortableFloatGemm", Gemm.FLOAT_IMPL.getClass().getSimpleName());
  }

  @Test
  void theArrayTanhIsTheDoubleTanhRounded() {
    float[] x = random(new Random(3), 2000);
    float[] want = x.clone();
    for (int i = 0; i < want.length; i++) {
      want[i] = (float) FastMath.tanh((double) want[i] * 4);
      x[i] *= 4;
    }
    float[] scalar = x.clone();
    FastMath.tanh(x, 0, x.length);
    // the portable kernel's chunks, from an odd offset
    FastMath.portableTanh(scalar, 3, scalar.length - 3);
    for (int i = 0; i < x.length; i++) {
      assertEquals(want[i], x[i], 0f, "element " + i);
      if (i >= 3) {
        assertEquals(want[i], scalar[i], 0f, "scalar element " + i);
      }
    }
  }

  @Test
  void warmPortableProductsAllocateNothing() {
    var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    long thread = Thread.currentThread().getId();
    float[] a = random(new Random(1), 32 * 64);
    float[] b = random(new Random(2), 64 * 48);
    float[] c = new float[32 * 48];
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 50 && least > 0; round++) {
      long before = bean.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 20; i++) {
        Gemm.portable(32, 48, 64, a, 0, 64, 1, b, 0, 48, c, 0, 48, 1f);
      }
      least = Math.min(least, bean.getThreadAllocatedBytes(thread) - before);
    }
    assertTrue(least == 0, "warm products allocated " + least + " bytes");
  }
}
