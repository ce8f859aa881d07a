package org.gradc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gradc.runtime.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matrix product kernel alone, on one core, in the shapes the reference workloads' steps
 * call it with: the forward product, the data gradient (against the transposed weights) and the
 * weight gradient ({@code Xᵀ Δ}, A read with a stride), in {@code double} and in {@code float}.
 * {@link Table} prints GFLOP/s next to the time. The fork runs the Vector API kernel; {@code -jvmArgsAppend -Dgradc.singleThread=true}
 * replaces the fork's arguments, so the module is absent and the portable kernel runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dgradc.singleThread=true"})
public class GemmKernel {
  /** A workload's product: {@code NAME_MxNxK}, suffix {@code T} for a transposed A. */
  @Param({"W2_32_fwd_32x128x784", "W2_32_wgrad_784x128x32T", "W2_32_out_32x10x128",
      "W2_32_outgrad_128x10x32T", "W2_32_dgrad_32x128x10W", "W2_256_fwd_256x128x784",
      "W2_256_wgrad_784x128x256T", "W3_fwd_64x64x64", "W3_wgrad_64x64x64T",
      "W3_dgrad_64x64x64W"})
  public String shape;

  /** The element type: {@code f64} or {@code f32}. */
  @Param({"f64", "f32"})
  public String precision;

  private int m;
  private int n;
  private int k;
  private boolean transposedA;
  private boolean transposedB;
  private double[] a;
  private double[] b;
  private double[] c;
  private double[] scratch;
  private boolean f32;
  private float[] fa;
  private float[] fb;
  private float[] fc;
  private float[] fscratch;

  /**
   * Floating-point operations of one product named as in {@link #shape}: {@code 2 m n k}; zero
   * for any other name.
   */
  static long flop(String name) {
    int[] d = dims(name);
    return d == null ? 0 : 2L * d[0] * d[1] * d[2];
  }

  private static final java.util.regex.Pattern MNK =
      java.util.regex.Pattern.compile(".*_(\\d{1,5})x(\\d{1,5})x(\\d{1,5})[TW]?$");

  private static int[] dims(String name) {
    java.util.regex.Matcher x = MNK.matcher(name);
    if (!x.matches()) {
      return null;
    }
    return new int[] {Integer.parseInt(x.group(1)), Integer.parseInt(x.group(2)),
        Integer.parseInt(x.group(3))};
  }

  @Setup
  public void setUp() {
    int[] d = dims(shape);
    m = d[0];
    n = d[1];
    k = d[2];
    transposedA = shape.endsWith("T");
    transposedB = shape.endsWith("W");
    Random r = new Random(1);
    a = random(r, m * k);
    b = random(r, k * n);
    c = new double[m * n];
    scratch = new double[k * n];
    f32 = precision.equals("f32");
    fa = narrow(a);
    fb = narrow(b);
    fc = new float[m * n];
    fscratch = new float[k * n];
  }

  private static float[] narrow(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  private static double[] random(Random r, int size) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = r.nextGaussian();
    }
    return v;
  }

  @Benchmark
  public double product() {
    if (f32) {
      return productF32();
    }
    if (transposedB) {
      // C = A · Wᵀ with W [n, k], as the data gradient multiplies by a weight matrix
      Gemm.mulTransposed(m, n, k, a, 0, k, 1, b, 0, k, scratch, c, 0, n);
    } else if (transposedA) {
      // C = Xᵀ · Δ / m with X [k, m]: the weight gradient of a batch of k examples
      Gemm.mul(m, n, k, a, 0, 1, m, b, 0, n, c, 0, n, k);
    } else {
      Gemm.mul(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, 1.0);
    }
    return c[0];
  }

  private double productF32() {
    if (transposedB) {
      Gemm.mulTransposed(m, n, k, fa, 0, k, 1, fb, 0, k, fscratch, fc, 0, n);
    } else if (transposedA) {
      Gemm.mul(m, n, k, fa, 0, 1, m, fb, 0, n, fc, 0, n, k);
    } else {
      Gemm.mul(m, n, k, fa, 0, k, 1, fb, 0, n, fc, 0, n, 1f);
    }
    return fc[0];
  }
}
