package org.gradc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.gradc.train.Optimizer;
import org.gradc.train.TrainStep;
import org.gradc.train.Trainer;
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
 * A whole training step as {@code Trainer.fit} takes it (gradient, clipping to norm 1, weight
 * decay 1e-4, the optimizer's update, float32 rounding for f32), three ways on the same model
 * and batch: {@code fused}, the {@link TrainStep} entry point (one pass over the parameters
 * after the gradient, plus the norm's read pass when clipping); {@code separate}, the sequence
 * of passes it replaced (sum of squares, clip, decay, copy of θ, update, rounding of θ and of
 * each buffer), written out here; {@code gradient}, the gradient alone, what both share.
 *
 * <p>On a loaded machine JMH's forks differ more than the two steps do; {@link #main} measures
 * them in one JVM instead, interleaved, in CPU time of the calling thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainSteps {
  private static final double DECAY = 1e-4;

  /** W2_B = MLP 784-128-10 at batch B (101,770 parameters); W3 = 16 tanh layers of 64. */
  @Param({"W2_32", "W3"})
  public String workload;

  /** f64, or f32 for the float32 model trained as {@code Trainer} trains it. */
  @Param({"f64", "f32"})
  public String precision;

  /** sgd, momentum or adam, at the workload's learning rate. */
  @Param({"adam", "sgd"})
  public String optimizer;

  /** The global gradient-norm threshold; 0 is off. */
  @Param({"1"})
  public double clip;

  private CompiledModel model;
  private TrainStep step;
  private double[] theta;
  private double[] x;
  private double[] y;
  private int batch;
  private double lr;
  private double[] grad;
  private double[] lastGood;
  private double[][] buffers;
  private long t;

  @Setup
  public void setUp() throws IOException {
    Workloads.Workload data = workload.equals("W3") ? Workloads.w3()
        : Workloads.w2(Integer.parseInt(workload.substring(3)));
    String file = workload.equals("W3") ? "w3_deep.grad" : "w2_mlp.grad";
    model = Gradc.load(new SourceFile(file, Files.readString(Steps.workloadDir().resolve(file))))
        .models().get(0).compile(Precision.parse(precision).orElseThrow());
    lr = optimizer.equals("adam") ? Optimizer.DEFAULT_ADAM_LR : data.lr();
    step = Trainer.of(model, Optimizer.byName(optimizer).withLearningRate(lr)).clip(clip)
        .weightDecay(DECAY).newStep(Long.MAX_VALUE);
    theta = data.flatParameters();
    round(theta);
    x = data.flatX();
    y = data.flatY();
    batch = data.x().length;
    grad = new double[theta.length];
    lastGood = theta.clone();
    buffers = new double[optimizer.equals("adam") ? 2 : optimizer.equals("momentum") ? 1 : 0]
        [theta.length];
  }

  @Benchmark
  public double fused() {
    return step.step(theta, x, y, batch);
  }

  @Benchmark
  public double gradient() {
    return model.lossAndGradient(theta, x, y, batch, grad);
  }

  /** The separate passes (a constant schedule; no divergence on these workloads). */
  @Benchmark
  public double separate() {
    double loss = model.lossAndGradient(theta, x, y, batch, grad);
    double sq = 0;
    for (double v : grad) {
      sq += v * v;
    }
    if (!Double.isFinite(loss) || !Double.isFinite(sq)) {
      System.arraycopy(lastGood, 0, theta, 0, theta.length);
      return loss;
    }
    double norm = clip > 0 ? Math.sqrt(sq) : 0;
    if (clip > 0 && norm > clip) {
      double scale = clip / (norm + 1e-6);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= scale;
      }
    }
    for (int i = 0; i < grad.length; i++) {
      grad[i] += DECAY * theta[i];
    }
    System.arraycopy(theta, 0, lastGood, 0, theta.length);
    update(++t);
    round(theta);
    for (double[] b : buffers) {
      round(b);
    }
    return loss;
  }

  private void update(long steps) {
    if (buffers.length == 0) {
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= lr * grad[i];
      }
    } else if (buffers.length == 1) {
      double[] v = buffers[0];
      for (int i = 0; i < theta.length; i++) {
        v[i] = 0.9 * v[i] + grad[i];
        theta[i] -= lr * v[i];
      }
    } else {
      double[] m = buffers[0];
      double[] v = buffers[1];
      double sqrtBc2 = Math.sqrt(1 - Math.pow(0.999, steps));
      double stepSize = lr / (1 - Math.pow(0.9, steps));
      for (int i = 0; i < theta.length; i++) {
        double g = grad[i];
        m[i] = 0.9 * m[i] + (1 - 0.9) * g;
        v[i] = 0.999 * v[i] + (1 - 0.999) * g * g;
        double denom = Math.sqrt(v[i]) / sqrtBc2 + 1e-8;
        theta[i] -= stepSize * m[i] / denom;
      }
    }
  }

  private void round(double[] values) {
    for (int i = 0; model.precision() == Precision.F32 && i < values.length; i++) {
      values[i] = (float) values[i];
    }
  }

  /**
   * Interleaved rounds of 100 steps each of fused, separate and gradient on one configuration
   * per line, in CPU time of this thread: medians per step and of the per-round ratios.
   *
   * @param args workloads, precisions, optimizers (each comma-separated), clip, rounds; e.g.
   *     {@code W2_32,W3 f64,f32 sgd,adam 1 15}
   * @throws IOException when a workload file cannot be read
   */
  public static void main(String[] args) throws IOException {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    int rounds = Integer.parseInt(args[4]);
    for (String w : args[0].split(",")) {
      for (String p : args[1].split(",")) {
        for (String o : args[2].split(",")) {
          TrainSteps[] s = {new TrainSteps(), new TrainSteps()};
          for (TrainSteps b : s) {
            b.workload = w;
            b.precision = p;
            b.optimizer = o;
            b.clip = Double.parseDouble(args[3]);
            b.setUp();
          }
          double[][] us = new double[3][rounds];
          for (int r = -5; r < rounds; r++) {
            for (int k = 0; k < 3; k++) {
              int which = (k + Math.max(r, 0)) % 3; // rotate the order between rounds
              long started = cpu.getCurrentThreadCpuTime();
              for (int i = 0; i < 100; i++) {
                double loss = which == 0 ? s[0].fused() : which == 1 ? s[1].separate() : s[0].gradient();
                if (loss != loss) {
                  throw new IllegalStateException(w + " diverged");
                }
              }
              if (r >= 0) {
                us[which][r] = (cpu.getCurrentThreadCpuTime() - started) / 1e5;
              }
            }
          }
          double[] ratio = new double[rounds];
          double[] update = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            ratio[r] = us[1][r] / us[0][r];
            update[r] = (us[0][r] - us[2][r]) / (us[1][r] - us[2][r]);
          }
          System.out.printf("%s %s %s clip %s: fused %.0f µs, separate %.0f µs, gradient %.0f µs;"
              + " separate / fused %.3f; update fused / separate %.2f%n", w, p, o, args[3],
              median(us[0]), median(us[1]), median(us[2]), median(ratio), median(update));
        }
      }
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
