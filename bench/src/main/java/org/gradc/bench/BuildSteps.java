package org.gradc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A workload's training step compiled by two builds of gradc in one JVM, each jar in a class
 * loader of its own: blocks of about 30 ms of {@code lossAndGradient} calls of each, alternated
 * (either one first in turn), timed by the calling thread's CPU time, so a change is measured
 * against the build without it under the same load. Prints the medians and the median ratio
 * before / after with its interquartile range. Run the same jar twice for the spread of an A/A
 * comparison.
 *
 * <p>Arguments: the model file, the batch size, {@code f64} or {@code f32}, the number of rounds,
 * the jar before, the jar after (each a {@code benchmarks.jar} or any jar holding gradc).
 */
public final class BuildSteps {
  private BuildSteps() {}

  public static void main(String[] args) throws Exception {
    String file = args[0];
    int batch = Integer.parseInt(args[1]);
    String precision = args[2];
    int rounds = Integer.parseInt(args[3]);
    String text = Files.readString(Path.of(file));
    Step[] steps = {new Step(args[4], file, text, precision, batch),
        new Step(args[5], file, text, precision, batch)};
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 8_000_000_000L) { // warm-up: both compiled by C2
      steps[0].run();
      steps[1].run();
    }
    int pairs = 0;
    t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 1_000_000_000L) {
      steps[0].run();
      steps[1].run();
      pairs++;
    }
    int block = (int) Math.max(1, 30_000_000L * 2 * pairs / (System.nanoTime() - t0));
    ThreadMXBean tm = ManagementFactory.getThreadMXBean();
    List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double[] us = new double[2];
      for (int i = 0; i < 2; i++) {
        int v = round % 2 == 0 ? i : 1 - i;
        long c0 = tm.getCurrentThreadCpuTime();
        for (int s = 0; s < block; s++) {
          steps[v].run();
        }
        us[v] = (tm.getCurrentThreadCpuTime() - c0) / 1e3 / block;
        cpu.get(v).add(us[v]);
      }
      ratios.add(us[0] / us[1]);
    }
    System.out.printf("%s B=%d %s: CPU µs per step before %.1f, after %.1f; before / after %.3f"
        + " (IQR %.3f – %.3f), %d rounds of %d steps%n", Path.of(file).getFileName(), batch,
        precision, FusedSteps.quantile(cpu.get(0), 0.5), FusedSteps.quantile(cpu.get(1), 0.5),
        FusedSteps.quantile(ratios, 0.5), FusedSteps.quantile(ratios, 0.25),
        FusedSteps.quantile(ratios, 0.75), rounds, block);
  }

  /**
   * One build's compiled model on fixed random parameters and data (those of {@link FusedSteps}),
   * called through reflection, since its classes are not the ones this class was compiled with.
   */
  private static final class Step {
    private final Object model;
    private final Method call;
    private final Object[] args;

    Step(String jar, String file, String text, String precision, int batch) throws Exception {
      ClassLoader cl = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> sourceFile = cl.loadClass("org.gradc.diag.SourceFile");
      Object source = sourceFile.getConstructor(String.class, String.class)
          .newInstance(file, text);
      Object program = cl.loadClass("org.gradc.Gradc").getMethod("load", sourceFile)
          .invoke(null, source);
      Object m = ((List<?>) program.getClass().getMethod("models").invoke(program)).get(0);
      Class<?> p = cl.loadClass("org.gradc.runtime.Precision");
      Object prec = ((Optional<?>) p.getMethod("parse", String.class).invoke(null, precision))
          .orElseThrow();
      Method compile = m.getClass().getMethod("compile", p);
      compile.setAccessible(true);
      model = compile.invoke(m, prec);
      Class<?> compiled = cl.loadClass("org.gradc.runtime.CompiledModel");
      int count = (int) compiled.getMethod("parameterCount").invoke(model);
      Random r = new Random(1);
      double[] theta = new double[count];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = 0.05 * r.nextGaussian();
      }
      double[] x = new double[batch * (int) compiled.getMethod("inputWidth").invoke(model)];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextDouble();
      }
      double[] y = new double[batch * (int) compiled.getMethod("targetWidth").invoke(model)];
      for (int i = 0; i < y.length; i++) {
        y[i] = r.nextDouble();
      }
      if (precision.equals("f32")) {
        call = compiled.getMethod("lossAndGradient", float[].class, float[].class,
            float[].class, int.class, float[].class);
        args = new Object[] {FusedSteps.floats(theta), FusedSteps.floats(x),
            FusedSteps.floats(y), batch, new float[count]};
      } else {
        call = compiled.getMethod("lossAndGradient", double[].class, double[].class,
            double[].class, int.class, double[].class);
        args = new Object[] {theta, x, y, batch, new double[count]};
      }
    }

    void run() throws ReflectiveOperationException {
      call.invoke(model, args);
    }
  }
}
