package org.gradc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
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
 * Training steps (forward + loss + backward + SGD update) through gradc's generated code and
 * through the hand-written ceiling, on the same parameters and data, in the same run. With
 * {@code precision=f32} gradc's step is the f32 model on float arrays (parameters, data,
 * gradient and update in float, no conversion), as a PyTorch float32 step; the hand-written
 * step stays f64.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class Steps {
  /** W1 = XOR 5000 steps; W2_B = MLP one step at batch B; W3 = deep narrow one step. */
  @Param({"W1", "W2_1", "W2_32", "W2_256", "W3"})
  public String workload;

  /** f64, or f32 for the float32 model on float arrays. */
  @Param({"f64"})
  public String precision;

  private CompiledModel model;
  private Workloads.Workload data;
  private double[] theta0;
  private double[] theta;
  private double[] grad;
  private double[] x;
  private double[] y;
  private float[] theta0f;
  private float[] thetaF;
  private float[] gradF;
  private float[] xF;
  private float[] yF;
  private int batch;
  private int steps;
  private HandMlp hand;

  @Setup
  public void setUp() throws IOException {
    String file;
    if (workload.equals("W1")) {
      data = Workloads.w1();
      file = "w1_xor.grad";
      steps = 5000;
      hand = data.hand(new int[] {2, 4, 1}, new HandMlp.Act[] {HandMlp.Act.SIGMOID, HandMlp.Act.SIGMOID},
          HandMlp.Loss.MSE);
    } else if (workload.startsWith("W2")) {
      data = Workloads.w2(Integer.parseInt(workload.substring(3)));
      file = "w2_mlp.grad";
      steps = 1;
      hand = data.hand(new int[] {784, 128, 10}, new HandMlp.Act[] {HandMlp.Act.RELU, HandMlp.Act.LINEAR},
          HandMlp.Loss.SOFTMAX_CROSS_ENTROPY);
    } else {
      data = Workloads.w3();
      file = "w3_deep.grad";
      steps = 1;
      hand = data.hand(Workloads.w3Widths(), Workloads.w3Acts(), HandMlp.Loss.MSE);
    }
    Precision p = Precision.parse(precision).orElseThrow();
    model = Gradc.load(new SourceFile(file, Files.readString(workloadDir().resolve(file))))
        .models().get(0).compile(p);
    theta0 = data.flatParameters();
    theta = theta0.clone();
    grad = new double[theta.length];
    x = data.flatX();
    y = data.flatY();
    batch = data.x().length;
    theta0f = floats(theta0);
    thetaF = theta0f.clone();
    gradF = new float[theta.length];
    xF = floats(x);
    yF = floats(y);
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static Path workloadDir() {
    Path here = Path.of("workloads");
    return Files.isDirectory(here) ? here : Path.of("bench", "workloads");
  }

  @Benchmark
  public double gradc() {
    if (model.precision() == Precision.F32) {
      return gradcFloat();
    }
    if (steps > 1) {
      System.arraycopy(theta0, 0, theta, 0, theta.length);
    }
    double loss = 0;
    double lr = data.lr();
    for (int s = 0; s < steps; s++) {
      loss = model.lossAndGradient(theta, x, y, batch, grad);
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= lr * grad[i];
      }
    }
    return loss;
  }

  /** The f32 step: float arrays throughout. */
  private double gradcFloat() {
    if (steps > 1) {
      System.arraycopy(theta0f, 0, thetaF, 0, thetaF.length);
    }
    float loss = 0;
    float lr = (float) data.lr();
    for (int s = 0; s < steps; s++) {
      loss = model.lossAndGradient(thetaF, xF, yF, batch, gradF);
      for (int i = 0; i < thetaF.length; i++) {
        thetaF[i] -= lr * gradF[i];
      }
    }
    return loss;
  }

  @Benchmark
  public double hand() {
    double loss = 0;
    for (int s = 0; s < steps; s++) {
      loss = hand.step(data.x(), data.y(), data.lr());
    }
    return loss;
  }
}
