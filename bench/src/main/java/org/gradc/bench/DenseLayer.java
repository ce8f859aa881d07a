package org.gradc.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gradc.runtime.Activation;
import org.gradc.runtime.FastMath;
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
 * A dense layer's forward {@code act(X · W + b)} of the reference workloads, two ways in the same
 * fork: {@code fused}, the product kernel with the bias and activation in its epilogue (what the
 * generated code calls), and {@code separate}, the product and then the elementwise pass the
 * generated code ran before ({@code -Dgradc.denseEpilogue=false} still plans it so). As
 * {@link GemmKernel}, on one core; {@code -jvmArgsAppend -Dgradc.singleThread=true} runs the
 * portable kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dgradc.singleThread=true"})
public class DenseLayer {
  /** A workload's layer: {@code NAME_BxNxK_ACT}. */
  @Param({"W2_32_hidden_32x128x784_relu", "W2_32_logits_32x10x128_identity",
      "W2_256_hidden_256x128x784_relu", "W3_hidden_64x64x64_tanh"})
  public String layer;

  /** The element type: {@code f64} or {@code f32}. */
  @Param({"f64", "f32"})
  public String precision;

  private int m;
  private int n;
  private int k;
  private Activation act;
  private double[] x;
  private double[] w;
  private double[] bias;
  private double[] c;
  private boolean f32;
  private float[] fx;
  private float[] fw;
  private float[] fbias;
  private float[] fc;

  @Setup
  public void setUp() {
    String[] parts = layer.split("_");
    String[] dims = parts[parts.length - 2].split("x");
    m = Integer.parseInt(dims[0]);
    n = Integer.parseInt(dims[1]);
    k = Integer.parseInt(dims[2]);
    act = Activation.valueOf(parts[parts.length - 1].toUpperCase(java.util.Locale.ROOT));
    Random r = new Random(1);
    x = random(r, m * k, 1.0);
    w = random(r, k * n, 1.0 / Math.sqrt(k));
    bias = random(r, n, 0.1);
    c = new double[m * n];
    f32 = precision.equals("f32");
    fx = narrow(x);
    fw = narrow(w);
    fbias = narrow(bias);
    fc = new float[m * n];
  }

  @Benchmark
  public double fused() {
    if (f32) {
      Gemm.mul(m, n, k, fx, 0, k, 1, fw, 0, n, fc, 0, n, fbias, 0, act);
      return fc[0];
    }
    Gemm.mul(m, n, k, x, 0, k, 1, w, 0, n, c, 0, n, bias, 0, act);
    return c[0];
  }

  /** The product, then the generated code's unfused elementwise kernel over all of C. */
  @Benchmark
  public double separate() {
    if (f32) {
      Gemm.mul(m, n, k, fx, 0, k, 1, fw, 0, n, fc, 0, n, 1f);
      for (int e = 0; e < m; e++) {
        for (int j = 0; j < n; j++) {
          float z = fc[e * n + j] + fbias[j];
          fc[e * n + j] = act == Activation.RELU ? (z > 0f ? z : 0f) : z;
        }
      }
      if (act == Activation.TANH) {
        FastMath.tanh(fc, 0, m * n);
      }
      return fc[0];
    }
    Gemm.mul(m, n, k, x, 0, k, 1, w, 0, n, c, 0, n, 1.0);
    for (int e = 0; e < m; e++) {
      for (int j = 0; j < n; j++) {
        double z = c[e * n + j] + bias[j];
        c[e * n + j] = act == Activation.RELU ? (z > 0.0 ? z : 0.0) : z;
      }
    }
    if (act == Activation.TANH) {
      FastMath.tanh(c, 0, m * n);
    }
    return c[0];
  }

  private static double[] random(Random r, int size, double scale) {
    double[] v = new double[size];
    for (int i = 0; i < size; i++) {
      v[i] = scale * r.nextGaussian();
    }
    return v;
  }

  private static float[] narrow(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
