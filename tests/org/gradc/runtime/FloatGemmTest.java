package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float products: the selected kernel (the Vector API one when the JVM has the module, as it
 * has under the Maven build) gives the same bits as the portable loops and as a plain chain of
 * float fused multiply-adds, on odd sizes, offsets, a transposed A and a divisor; the array tanh
 * is the double tanh rounded; warm portable products allocate nothing.
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
          check(r, s[0], s[1], s[2], transposed, div);
        }
      }
    }
  }

  private static void check(Random r, int m, int n, int k, boolean transposedA, float div) {
    int aOff = 3;
    int bOff = 2;
    int cOff = 1;
    int ldb = n + 1;
    int ldc = n + 2;
    int ars = transposedA ? 1 : k;
    int acs = transposedA ? m : 1;
    float[] a = random(r, aOff + m * k);
    float[] b = random(r, bOff + k * ldb);
    float[] fast = new float[cOff + m * ldc];
    float[] portable = new float[fast.length];
    java.util.Arrays.fill(fast, 42f);
    java.util.Arrays.fill(portable, 42f);
    Gemm.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, fast, cOff, ldc, div);
    Gemm.portable(m, n, k, a, aOff, ars, acs, b, bOff, ldb, portable, cOff, ldc, div);
    String what = m + "x" + n + "x" + k + (transposedA ? " Aᵀ" : "") + " / " + div;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int t = 0; t < k; t++) {
          s = Math.fma(a[aOff + i * ars + t * acs], b[bOff + t * ldb + j], s);
        }
        s = div == 1f ? s : s / div;
        int idx = cOff + i * ldc + j;
        assertEquals(s, portable[idx], 0f, what + " portable at " + i + "," + j);
        assertEquals(portable[idx], fast[idx], 0f, what + " vector at " + i + "," + j);
      }
    }
    assertEquals(42f, fast[0], what + ": nothing written before C");
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
    FastMath.scalarTanh(scalar, 3, scalar.length - 3);
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
