package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The selected float kernel's array tanh (the Vector API one under the Maven build), which works
 * through chunks of doubles and stores whole vectors: every element is the double tanh rounded,
 * bit for bit (the sign of zero included), for every offset and length around the vector and
 * chunk sizes, and no element outside the range changes.
 */
class FloatTanhTest {
  @Test
  void everyOffsetAndLengthGivesTheRoundedDoubleTanhAndLeavesTheRestAlone() {
    Random r = new Random(11);
    float[] special = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 1e-30f, -1e-30f, 9f, -9f, 30f};
    for (int off : new int[] {0, 1, 3, 17}) {
      for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 1023, 1024, 1025, 2049, 4101}) {
        float[] x = new float[off + n + 24];
        for (int i = 0; i < x.length; i++) {
          x[i] = i % 7 == 0 ? special[i / 7 % special.length] : (float) (r.nextGaussian() * 3);
        }
        float[] before = x.clone();
        Gemm.FLOAT_IMPL.tanh(x, off, n);
        for (int i = 0; i < x.length; i++) {
          boolean inside = i >= off && i < off + n;
          float want = inside ? (float) FastMath.tanh((double) before[i]) : before[i];
          assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(x[i]),
              "offset " + off + ", length " + n + ", element " + i + " of " + before[i]);
        }
      }
    }
  }
}
