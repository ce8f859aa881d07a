package org.gradc.runtime;

/**
 * Activations over whole arrays for generated code, vectorized where the JVM has
 * {@code jdk.incubator.vector} (see {@link Gemm}); otherwise the {@code Math} functions.
 */
public final class FastMath {
  /**
   * Elements from which the vectorized kernel runs. Vector API code allocates its vectors until
   * C2 has compiled it (a few thousand calls), so short arrays, where vectors gain little, take
   * the scalar loop and allocate nothing from the first call.
   */
  static final int VECTOR_MIN = 512;

  private FastMath() {}

  /** {@code x[off + i] = tanh(x[off + i])} for {@code i < n}, within 2 ulps of {@link Math#tanh}. */
  public static void tanh(double[] x, int off, int n) {
    if (n < VECTOR_MIN) {
      for (int i = off; i < off + n; i++) {
        x[i] = Math.tanh(x[i]);
      }
    } else {
      Gemm.IMPL.tanh(x, off, n);
    }
  }
}
