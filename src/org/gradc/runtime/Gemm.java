package org.gradc.runtime;

/**
 * Matrix products for generated code (and, in {@link FastMath}, vectorized activations):
 * {@code C = A · B} (optionally divided by a number), with each element summed over the inner
 * index in order from {@code 0.0} with fused multiply-adds (exactly rounded, so the result does
 * not depend on the JVM or the CPU; it differs from separate multiplies and adds by rounding
 * only). Both implementations give the same bits: a register-blocked kernel on
 * {@code jdk.incubator.vector} when the JVM has that module (loaded reflectively, so this class
 * runs on any Java 17), and otherwise a loop kernel laid out for C2's auto-vectorization
 * ({@code PortableGemm}).
 *
 * <p>Operand layout: {@code A(i, t) = a[aOff + i * ars + t * acs]} (so one method serves
 * {@code X · W} with {@code ars = lda, acs = 1} and {@code Xᵀ · Δ} with {@code ars = 1, acs =
 * lda}); {@code B(t, j) = b[bOff + t * ldb + j]}; {@code C(i, j) = c[cOff + i * ldc + j]}. C must
 * not overlap A or B.
 *
 * <p>The {@code float} overloads are the same products of f32 models, summed in {@code float}
 * with {@link Math#fma(float, float, float)}, on a vector kernel or a portable one that give the
 * same bits; they run on the caller's thread only.
 */
public final class Gemm {
  /** One implementation of the products. */
  interface Impl {
    void mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b, int bOff,
        int ldb, double[] c, int cOff, int ldc, double div);

    /** {@code x[off + i] = tanh(x[off + i])} for {@code i < n}. */
    void tanh(double[] x, int off, int n);
  }

  /** One implementation of the {@code float} products. */
  interface FloatImpl {
    void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
        int ldb, float[] c, int cOff, int ldc, float div);

    /** {@code x[off + i] = tanh(x[off + i])} for {@code i < n}. */
    void tanh(float[] x, int off, int n);
  }

  private static final Impl PORTABLE = new PortableGemm();
  static final Impl IMPL = select("org.gradc.runtime.VectorGemm", Impl.class, PORTABLE);
  private static final FloatImpl FLOAT_PORTABLE = new PortableFloatGemm();
  static final FloatImpl FLOAT_IMPL = select("org.gradc.runtime.VectorFloatGemm", FloatImpl.class,
      FLOAT_PORTABLE);

  /**
   * Multiply-adds from which a product is split over two cores (the rows of C between the
   * caller and one daemon worker thread); below it the hand-off costs more than it saves.
   */
  static final long PARALLEL_MIN = Long.getLong("gradc.parallelMin", 1L << 23);

  private static final GemmWorker WORKER = Runtime.getRuntime().availableProcessors() >= 2
      && !Boolean.getBoolean("gradc.singleThread") ? new GemmWorker(IMPL) : null;

  private Gemm() {}

  /** The vector kernel {@code className} when the JVM has the module, else {@code portable}. */
  private static <T> T select(String className, Class<T> type, T portable) {
    if (Boolean.getBoolean("gradc.portableGemm")) {
      return portable;
    }
    if (!VectorModule.PRESENT) {
      return portable;
    }
    try {
      Class<?> c = Class.forName(className);
      return type.cast(c.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return portable;
    }
  }

  /** Whether products run on the Vector API kernel. */
  public static boolean vectorized() {
    return IMPL != PORTABLE;
  }

  /**
   * {@code C(i, j) = (Σ_t A(i, t) · B(t, j)) / div} for {@code i < m, j < n, t < k}; the division
   * is skipped when {@code div} is 1 (which gives the same value).
   */
  public static void mul(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b,
      int bOff, int ldb, double[] c, int cOff, int ldc, double div) {
    if ((long) m * n * k >= PARALLEL_MIN && m >= 16 && WORKER != null
        && WORKER.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div)) {
      return;
    }
    IMPL.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
  }

  /**
   * {@code C(i, j) = Σ_t A(i, t) · W(j, t)} with {@code W(j, t) = w[wOff + j * ldw + t]}, i.e.
   * {@code C = A · Wᵀ}: W is transposed into {@code scratch} (at least {@code k * n} elements)
   * first, so the product runs on the same row-aligned kernel.
   */
  public static void mulTransposed(int m, int n, int k, double[] a, int aOff, int ars, int acs,
      double[] w, int wOff, int ldw, double[] scratch, double[] c, int cOff, int ldc) {
    for (int j = 0; j < n; j++) {
      int wo = wOff + j * ldw;
      for (int t = 0; t < k; t++) {
        scratch[t * n + j] = w[wo + t];
      }
    }
    IMPL.mul(m, n, k, a, aOff, ars, acs, scratch, 0, n, c, cOff, ldc, 1.0);
  }

  /**
   * {@code C(i, j) = (Σ_t A(i, t) · B(t, j)) / div} in {@code float}, on the caller's thread.
   */
  public static void mul(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, float div) {
    FLOAT_IMPL.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
  }

  /** {@code C = A · Wᵀ} in {@code float}, W transposed into {@code scratch} first. */
  public static void mulTransposed(int m, int n, int k, float[] a, int aOff, int ars, int acs,
      float[] w, int wOff, int ldw, float[] scratch, float[] c, int cOff, int ldc) {
    for (int j = 0; j < n; j++) {
      int wo = wOff + j * ldw;
      for (int t = 0; t < k; t++) {
        scratch[t * n + j] = w[wo + t];
      }
    }
    FLOAT_IMPL.mul(m, n, k, a, aOff, ars, acs, scratch, 0, n, c, cOff, ldc, 1f);
  }

  /** The portable float kernel, for tests comparing the two. */
  static void portable(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, int ldb, float[] c, int cOff, int ldc, float div) {
    FLOAT_PORTABLE.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
  }

  /** The portable kernel, for tests comparing the two. */
  static void portable(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b,
      int bOff, int ldb, double[] c, int cOff, int ldc, double div) {
    PORTABLE.mul(m, n, k, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, div);
  }
}
