package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Gemm;
import org.gradc.runtime.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generated training steps of the benchmark models (XOR 2-4-1; MLP 784-128-10 at batch 32 and
 * 256, on the runtime product kernels, the larger split over two cores; 16 tanh layers of 64 at
 * batch 64), in f64 and in f32 (called with double arrays, converted at the boundary, and with
 * float arrays, passed through), allocate nothing once warmed up — on the calling thread and on
 * the product kernels' worker thread. Vector API code allocates until C2 has compiled it, so the
 * steps run in rounds until one round allocates nothing; a step that allocates never gets there.
 * The f32 cases follow the f64 ones in one JVM, after the f32 tanh has run, since what one
 * kernel's profile holds changes how C2 compiles another; the portable kernels are checked in a
 * JVM without the Vector API module.
 */
class StepAllocationTest {
  /** The element type a step is called with. */
  enum Exchange { DOUBLES, FLOATS }

  @ParameterizedTest
  @CsvSource({"w1_xor.grad, 4, 400, F64, DOUBLES", "w2_mlp.grad, 32, 20, F64, DOUBLES",
      "w2_mlp.grad, 256, 4, F64, DOUBLES", "w3_deep.grad, 64, 20, F64, DOUBLES",
      "w3_deep.grad, 64, 20, F32, FLOATS", "w3_deep.grad, 64, 20, F32, DOUBLES",
      "w2_mlp.grad, 256, 4, F32, FLOATS", "w2_mlp.grad, 256, 4, F32, DOUBLES",
      "w1_xor.grad, 4, 400, F32, FLOATS", "w1_xor.grad, 4, 400, F32, DOUBLES",
      "w2_mlp.grad, 32, 20, F32, FLOATS", "w2_mlp.grad, 32, 20, F32, DOUBLES",
      "w3_deep.grad, 64, 20, F64, DOUBLES", "w2_mlp.grad, 256, 4, F64, DOUBLES"})
  void warmStepsAllocateNothing(String file, int batch, int stepsPerRound, Precision precision,
      Exchange exchange) throws IOException {
    assertTrue(Gemm.vectorized(), "the test JVM runs with the Vector API module");
    long least = leastAllocated(file, batch, stepsPerRound, precision, exchange);
    assertEquals(0, least, file + " " + precision + " on " + exchange + " at batch " + batch
        + ": every round of " + stepsPerRound + " steps allocated, at least " + least + " bytes");
  }

  /** The steps on the portable kernels, in a JVM without the module (as most applications run). */
  @Test
  void portableKernelStepsAllocateNothing() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), StepAllocationTest.class.getName(),
        "w3_deep.grad", "64", "20", "F32", "FLOATS", "w3_deep.grad", "64", "20", "F32", "DOUBLES",
        "w2_mlp.grad", "256", "2", "F32", "FLOATS", "w2_mlp.grad", "256", "2", "F64", "DOUBLES"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the plain JVM did not finish: " + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("portable kernels"), out);
    assertEquals(4, out.lines().filter(l -> l.endsWith(": 0 bytes")).count(), out);
  }

  /**
   * Runs the cases of the arguments (groups of file, batch, steps per round, precision, exchange)
   * and prints each one's least allocation; exits with status 1 unless every one is 0.
   */
  public static void main(String[] args) throws IOException {
    System.out.println(Gemm.vectorized() ? "vector kernels" : "portable kernels");
    boolean ok = !Gemm.vectorized();
    for (int i = 0; i + 5 <= args.length; i += 5) {
      long least = leastAllocated(args[i], Integer.parseInt(args[i + 1]),
          Integer.parseInt(args[i + 2]), Precision.valueOf(args[i + 3]),
          Exchange.valueOf(args[i + 4]));
      System.out.println(String.join(" ", List.of(args).subList(i, i + 5)) + ": " + least
          + " bytes");
      ok &= least == 0;
    }
    System.exit(ok ? 0 : 1);
  }

  /**
   * Trains {@code file}'s model in rounds of {@code stepsPerRound} steps, for up to 400 rounds or
   * 60 seconds, until a round allocates nothing.
   *
   * @return the fewest bytes a round allocated on this thread and the product worker thread
   */
  static long leastAllocated(String file, int batch, int stepsPerRound, Precision precision,
      Exchange exchange) throws IOException {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);

    CompiledModel m = Gradc.load(new SourceFile(file,
        Files.readString(Path.of("bench", "workloads", file)))).models().get(0).compile(precision);
    Step step = exchange == Exchange.FLOATS ? new FloatStep(m, batch) : new DoubleStep(m, batch);
    step.run(); // the first call starts the worker thread and sizes the scratch arrays
    long[] ids = measuredThreads(batch >= 256);
    long least = Long.MAX_VALUE;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int round = 0; round < 400 && least > 0 && System.nanoTime() < deadline; round++) {
      long before = allocated(threads, ids);
      for (int s = 0; s < stepsPerRound; s++) {
        step.run();
      }
      long after = allocated(threads, ids);
      // the counters are read before and after (-1 would mean one is off, and 0 - 0 no evidence)
      assertTrue(before > 0 && after >= before, "allocation counters read: " + before + ", "
          + after);
      least = Math.min(least, after - before);
    }
    return least;
  }

  /** This thread, and the product worker when the model's products are split over two cores. */
  private static long[] measuredThreads(boolean twoCores) {
    long self = Thread.currentThread().getId();
    if (!twoCores || Runtime.getRuntime().availableProcessors() < 2) {
      return new long[] {self};
    }
    long worker = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("gradc-gemm")).mapToLong(Thread::getId).findFirst()
        .orElseThrow(() -> new AssertionError("no product worker thread on two cores"));
    return new long[] {self, worker};
  }

  /** The bytes the threads have allocated (one by one: the array form allocates its result). */
  private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
    long s = 0;
    for (long id : ids) {
      long b = threads.getThreadAllocatedBytes(id);
      if (b < 0) {
        return -1;
      }
      s += b;
    }
    return s;
  }

  /** One SGD step on fixed data in one exchange type. */
  private interface Step {
    void run();
  }

  private record DoubleStep(CompiledModel m, int batch, double[] theta, double[] grad,
      double[] x, double[] y) implements Step {
    DoubleStep(CompiledModel m, int batch) {
      this(m, batch, m.initialParameters(3), new double[m.parameterCount()],
          inputs(m, batch), targets(m, batch));
    }

    @Override
    public void run() {
      m.lossAndGradient(theta, x, y, batch, grad);
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= 1e-3 * grad[i];
      }
    }
  }

  private record FloatStep(CompiledModel m, int batch, float[] theta, float[] grad, float[] x,
      float[] y) implements Step {
    FloatStep(CompiledModel m, int batch) {
      this(m, batch, floats(m.initialParameters(3)), new float[m.parameterCount()],
          floats(inputs(m, batch)), floats(targets(m, batch)));
    }

    @Override
    public void run() {
      m.lossAndGradient(theta, x, y, batch, grad);
      for (int i = 0; i < theta.length; i++) {
        theta[i] -= 1e-3f * grad[i];
      }
    }
  }

  private static double[] inputs(CompiledModel m, int batch) {
    Random r = new Random(5);
    double[] x = new double[batch * m.inputWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    return x;
  }

  /** One-hot targets. */
  private static double[] targets(CompiledModel m, int batch) {
    Random r = new Random(7);
    double[] y = new double[batch * m.targetWidth()];
    for (int e = 0; e < batch; e++) {
      y[e * m.targetWidth() + r.nextInt(m.targetWidth())] = 1.0;
    }
    return y;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
