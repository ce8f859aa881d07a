package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The runtime products: the dispatched kernel (the Vector API one when the JVM has the module,
 * as it has under the Maven build) against the portable loops and against plain sums, on odd
 * sizes, offsets and strides, both operand layouts, with and without the division.
 */
class GemmTest {
  private static final int[][] SIZES = {
      {1, 1, 1}, {1, 8, 3}, {3, 17, 5}, {4, 16, 7}, {5, 23, 1}, {7, 9, 31}, {9, 33, 13},
      {13, 10, 128}, {32, 128, 61}, {33, 65, 17}, {2, 3, 4}};

  @Test
  void vectorAndPortableKernelsAgreeOnOddSizes() {
    Random r = new Random(7);
    for (int[] s : SIZES) {
      for (boolean transposedA : new boolean[] {false, true}) {
        for (double div : new double[] {1.0, 3.0}) {
          check(r, s[0], s[1], s[2], transposedA, div, 2);
        }
      }
    }
  }

  /**
   * Random shapes (narrow ones, which the portable kernel runs transposed, among them), offsets,
   * leading dimensions, both layouts of A and divisors: both kernels give the plain sums' bits
   * and write nothing outside C.
   */
  @Test
  void randomShapesStridesAndDivisorsGiveThePlainSumsBits() {
    Random r = new Random(2024);
    double[] divs = {1.0, 2.0, 3.0, 0.5, 7.0, 256.0, 1e-3};
    for (int trial = 0; trial < 300; trial++) {
      int m = 1 + r.nextInt(trial % 3 == 0 ? 200 : 40);
      int n = 1 + r.nextInt(trial % 2 == 0 ? PortableGemm.NARROW + 2 : 90);
      int k = 1 + r.nextInt(trial % 5 == 0 ? 300 : 40);
      check(r, m, n, k, r.nextBoolean(), divs[r.nextInt(divs.length)], r.nextInt(4));
    }
  }

  /** Products above the two-thread threshold, wide and narrow (the transposed path), random divisors. */
  @Test
  void randomLargeProductsOnTwoThreadsGiveThePlainSumsBits() {
    Random r = new Random(99);
    int[][] shapes = {{4100, 13, 160}, {700, 128, 97}, {257, 255, 129}};
    for (int[] s : shapes) {
      assertTrue((long) s[0] * s[1] * s[2] >= Gemm.PARALLEL_MIN, "above the threshold");
      check(r, s[0], s[1], s[2], r.nextBoolean(), 1.0 + r.nextInt(40), 1);
    }
  }

  @Test
  void largeProductsSplitOverTwoThreadsGiveTheSameBits() {
    Random r = new Random(3);
    // 301 x 203 x 157 = 9.6 M multiply-adds: above the two-thread threshold
    for (boolean transposedA : new boolean[] {false, true}) {
      for (double div : new double[] {1.0, 64.0, 3.0}) {
        int m = 301;
        int n = 203;
        int k = 157;
        int lda = transposedA ? m : k;
        double[] a = random(r, (transposedA ? k : m) * lda);
        double[] b = random(r, k * n);
        double[] fast = new double[m * n];
        double[] portable = new double[m * n];
        int ars = transposedA ? 1 : lda;
        int acs = transposedA ? lda : 1;
        for (int rep = 0; rep < 3; rep++) {
          Gemm.mul(m, n, k, a, 0, ars, acs, b, 0, n, fast, 0, n, div);
          Gemm.portable(m, n, k, a, 0, ars, acs, b, 0, n, portable, 0, n, div);
          for (int i = 0; i < fast.length; i++) {
            assertEquals(portable[i], fast[i], 0.0, "element " + i);
          }
        }
      }
    }
  }

  @Test
  void warmPortableProductsAllocateNothing() {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    int m = 32;
    int n = 128;
    int k = 97;
    double[] a = new double[m * k];
    double[] b = new double[k * n];
    double[] c = new double[m * n];
    java.util.Arrays.fill(a, 0.5);
    java.util.Arrays.fill(b, 0.25);
    for (int i = 0; i < 50; i++) {
      Gemm.portable(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, 1.0);
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 200; i++) {
      Gemm.portable(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, 2.0);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < 4096, allocated + " bytes in 200 warm products");
    assertEquals(0.5 * 0.25 * k / 2, c[0], 0);
  }

  @Test
  void theModuleIsUsedWhenPresent() {
    boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(present && !Boolean.getBoolean("gradc.portableGemm"), Gemm.vectorized());
  }

  /**
   * {@code A · Wᵀ} against the plain sums, for W with 5 to 19 rows (the transpose copies eight at
   * a time, then one) and rows of W longer than their k elements.
   */
  @Test
  void transposedProductMatchesSums() {
    Random r = new Random(11);
    int m = 5;
    int k = 11;
    for (int n = 5; n <= 19; n += 7) {
      for (int ldw : new int[] {k, k + 3}) {
        double[] a = random(r, 3 + m * 14);
        double[] w = random(r, 2 + n * ldw);
        double[] c = new double[4 + m * 20];
        Gemm.mulTransposed(m, n, k, a, 3, 14, 1, w, 2, ldw, new double[k * n], c, 4, 20);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int t = 0; t < k; t++) {
              s = Math.fma(a[3 + i * 14 + t], w[2 + j * ldw + t], s);
            }
            assertEquals(s, c[4 + i * 20 + j], 0.0, n + " rows of W " + ldw + " apart");
          }
        }
      }
    }
  }

  /**
   * The kernels the build generates from the templates: no token or conditional line left, and
   * the double classes hold nothing of the float ones (and the portable float one nothing of
   * double, which only the vector float kernel's tanh widens to).
   */
  @Test
  void theGeneratedKernelsHoldNoTemplateMarks() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("target", "generated-sources", "kernels", "org",
        "gradc", "runtime");
    String[][] kernels = {{"VectorGemm", "float"}, {"VectorBlocks", "float"},
        {"PortableGemm", "float"}, {"VectorFloatGemm", null}, {"VectorFloatBlocks", "double"},
        {"PortableFloatGemm", "double"}};
    for (String[] kernel : kernels) {
      String text = java.nio.file.Files.readString(dir.resolve(kernel[0] + ".java"));
      assertTrue(text.contains("final class " + kernel[0] + " "), kernel[0]);
      assertTrue(!text.contains("$") && !text.contains("//#"), kernel[0] + " has template marks");
      if (kernel[1] != null) {
        assertTrue(!text.toLowerCase(java.util.Locale.ROOT).contains(kernel[1]),
            kernel[0] + " mentions " + kernel[1]);
      }
    }
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
        check(r, m, n, 1 + r.nextInt(70), m % 2 == 0, m % 3 == 0 ? 4.0 : 1.0, m % 4);
      }
    }
  }

  /** Both kernels against plain sums, with {@code pad} spare elements around every operand. */
  private static void check(Random r, int m, int n, int k, boolean transposedA, double div,
      int pad) {
    int aOff = pad + 1;
    int lda = (transposedA ? m : k) + pad;
    int ars = transposedA ? 1 : lda;
    int acs = transposedA ? lda : 1;
    double[] a = random(r, aOff + (transposedA ? k : m) * lda);
    int bOff = 2 * pad + 1;
    int ldb = n + pad + 1;
    double[] b = random(r, bOff + k * ldb);
    int cOff = pad;
    int ldc = n + pad / 2;
    double[] fast = new double[cOff + m * ldc + 1];
    double[] portable = new double[fast.length];
    java.util.Arrays.fill(fast, 42.0);
    java.util.Arrays.fill(portable, 42.0);
    Gemm.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, fast, cOff, ldc, div);
    Gemm.portable(m, n, k, a, aOff, ars, acs, b, bOff, ldb, portable, cOff, ldc, div);
    String what = m + "x" + n + "x" + k + (transposedA ? " A^T" : "") + " / " + div;
    for (int idx = 0; idx < fast.length; idx++) {
      int row = (idx - cOff) / ldc;
      int col = (idx - cOff) % ldc;
      boolean inside = idx >= cOff && row < m && col < n;
      if (!inside) {
        assertEquals(42.0, fast[idx], 0.0, what + ": wrote outside C at " + idx);
        assertEquals(42.0, portable[idx], 0.0, what + ": portable wrote outside C at " + idx);
        continue;
      }
      double s = 0.0;
      for (int t = 0; t < k; t++) {
        s = Math.fma(a[aOff + row * ars + t * acs], b[bOff + t * ldb + col], s);
      }
      s = div != 1.0 ? s / div : s;
      assertTrue(Math.abs(fast[idx] - portable[idx]) <= 1e-12 * Math.abs(portable[idx]),
          what + " at " + row + "," + col + ": " + fast[idx] + " vs " + portable[idx]);
      // same order of fused multiply-adds: the same bits
      assertEquals(s, fast[idx], 0.0, what);
      assertEquals(s, portable[idx], 0.0, what);
    }
  }

  private static double[] random(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }
}
