package org.gradc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;

/**
 * A workload's training step with dense layers fused into the product kernel against the same
 * model planned without the fusion ({@code -Dgradc.denseEpilogue=false} while it compiles), in
 * one JVM: blocks of about 20 ms of {@code lossAndGradient} calls of each, alternated, timed by
 * the calling thread's CPU time (so a loaded machine's waits do not count). Prints the medians
 * and the median ratio unfused / fused with its interquartile range.
 *
 * <p>Arguments: the model file, the batch size, {@code f64} or {@code f32}, the number of rounds.
 */
public final class FusedSteps {
  private FusedSteps() {}

  public static void main(String[] args) throws Exception {
    String file = args[0];
    int batch = Integer.parseInt(args[1]);
    Precision p = Precision.parse(args[2]).orElseThrow();
    int rounds = Integer.parseInt(args[3]);
    String text = Files.readString(Path.of(file));
    CompiledModel fused = Gradc.load(new SourceFile(file, text)).models().get(0).compile(p);
    System.setProperty("gradc.denseEpilogue", "false");
    CompiledModel plain = Gradc.load(new SourceFile(file, text)).models().get(0).compile(p);
    System.clearProperty("gradc.denseEpilogue");
    Step[] steps = {new Step(fused, p, batch), new Step(plain, p, batch)};
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 6_000_000_000L) { // warm-up: both compiled by C2
      steps[0].run();
      steps[1].run();
    }
    int calls = 0;
    t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 1_000_000_000L) {
      steps[0].run();
      steps[1].run();
      calls++;
    }
    int block = (int) Math.max(1, 20_000_000L * calls / (2 * (System.nanoTime() - t0)));
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double[] us = new double[2];
      for (int i = 0; i < 2; i++) {
        int v = round % 2 == 0 ? i : 1 - i; // either one first in turn
        long c0 = tm.getCurrentThreadCpuTime();
        for (int s = 0; s < block; s++) {
          steps[v].run();
        }
        us[v] = (tm.getCurrentThreadCpuTime() - c0) / 1e3 / block;
        cpu.get(v).add(us[v]);
      }
      ratios.add(us[1] / us[0]);
    }
    System.out.printf("%s B=%d %s: CPU µs per step fused %.1f, unfused %.1f; unfused / fused"
        + " %.3f (IQR %.3f – %.3f), %d rounds of %d steps%n", Path.of(file).getFileName(), batch,
        p.text(), quantile(cpu.get(0), 0.5), quantile(cpu.get(1), 0.5), quantile(ratios, 0.5),
        quantile(ratios, 0.25), quantile(ratios, 0.75), rounds, block);
  }

  /** One model's step on fixed random parameters and data, in its precision's arrays. */
  private static final class Step {
    private final CompiledModel m;
    private final int batch;
    private final double[] theta;
    private final double[] x;
    private final double[] y;
    private final double[] grad;
    private final float[] thetaF;
    private final float[] xF;
    private final float[] yF;
    private final float[] gradF;

    Step(CompiledModel m, Precision p, int batch) {
      this.m = m;
      this.batch = batch;
      Random r = new Random(1);
      theta = new double[m.parameterCount()];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = 0.05 * r.nextGaussian();
      }
      x = new double[batch * m.inputWidth()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble();
      }
      y = new double[batch * m.targetWidth()];
      for (int i = 0; i < y.length; i++) {
        y[i] = r.nextDouble();
      }
      grad = new double[theta.length];
      boolean f32 = p == Precision.F32;
      thetaF = f32 ? floats(theta) : null;
      xF = f32 ? floats(x) : null;
      yF = f32 ? floats(y) : null;
      gradF = f32 ? new float[theta.length] : null;
    }

    void run() {
      if (thetaF != null) {
        m.lossAndGradient(thetaF, xF, yF, batch, gradF);
      } else {
        m.lossAndGradient(theta, x, y, batch, grad);
      }
    }
  }

  static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static double quantile(List<Double> v, double q) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.round(q * (s.size() - 1))));
  }
}
