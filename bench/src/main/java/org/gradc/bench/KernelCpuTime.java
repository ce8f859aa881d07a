package org.gradc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link GemmKernel}'s products timed by the calling thread's CPU time instead of the wall clock,
 * which on a shared machine counts the time other processes hold the core: every shape in turn,
 * for a number of rounds, then the median GFLOP/s of each. Run it on the JVM to be measured (with
 * {@code --add-modules jdk.incubator.vector} or without, and with
 * {@code -Dgradc.singleThread=true} for one core):
 * {@code java [options] -cp bench/target/benchmarks.jar org.gradc.bench.KernelCpuTime [rounds]
 * [precision...]}.
 */
public final class KernelCpuTime {
  private KernelCpuTime() {}

  /**
   * Prints one line per shape and precision: the median and the range of GFLOP/s over the rounds.
   *
   * @param args the number of rounds (default 9), then the precisions (default f64 f32)
   * @throws NoSuchFieldException never: {@link GemmKernel} has the field
   */
  public static void main(String[] args) throws NoSuchFieldException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    String[] precisions = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
        : new String[] {"f64", "f32"};
    String[] shapes = GemmKernel.class.getField("shape").getAnnotation(
        org.openjdk.jmh.annotations.Param.class).value();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (String precision : precisions) {
      GemmKernel[] kernels = new GemmKernel[shapes.length];
      double[][] gflops = new double[shapes.length][rounds];
      for (int s = 0; s < shapes.length; s++) {
        kernels[s] = new GemmKernel();
        kernels[s].shape = shapes[s];
        kernels[s].precision = precision;
        kernels[s].setUp();
      }
      for (int r = -2; r < rounds; r++) { // two rounds of warm-up
        for (int s = 0; s < shapes.length; s++) {
          long flop = GemmKernel.flop(shapes[s]);
          long calls = Math.max(10, 200_000_000L / flop);
          long t0 = cpu.getCurrentThreadCpuTime();
          for (long i = 0; i < calls; i++) {
            kernels[s].product();
          }
          long ns = cpu.getCurrentThreadCpuTime() - t0;
          if (r >= 0) {
            gflops[s][r] = (double) flop * calls / ns;
          }
        }
      }
      for (int s = 0; s < shapes.length; s++) {
        double[] g = gflops[s];
        Arrays.sort(g);
        System.out.printf("%-28s %s %6.1f GFLOP/s (%.1f – %.1f)%n", shapes[s], precision,
            g[rounds / 2], g[0], g[rounds - 1]);
      }
    }
  }
}
