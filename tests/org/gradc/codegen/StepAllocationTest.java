package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generated training steps of the benchmark models (XOR 2-4-1; MLP 784-128-10 at batch 32 and
 * 256, on the runtime product kernels; 16 tanh layers of 64 at batch 64), in f64 and in f32
 * (called with double arrays, converted at the boundary), allocate nothing once warmed up.
 * Vector API code allocates until C2 has compiled it, so the steps run in rounds until one round
 * allocates nothing; a step that allocates never gets there.
 */
class StepAllocationTest {
  @ParameterizedTest
  @CsvSource({"w1_xor.grad, 4, 400, F64", "w2_mlp.grad, 32, 20, F64",
      "w2_mlp.grad, 256, 4, F64", "w3_deep.grad, 64, 20, F64", "w1_xor.grad, 4, 400, F32",
      "w2_mlp.grad, 32, 20, F32", "w2_mlp.grad, 256, 4, F32", "w3_deep.grad, 64, 20, F32"})
  void warmStepsAllocateNothing(String file, int batch, int stepsPerRound, Precision precision)
      throws IOException {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    long thread = Thread.currentThread().getId();

    CompiledModel m = Gradc.load(new SourceFile(file,
        Files.readString(Path.of("bench", "workloads", file)))).models().get(0).compile(precision);
    double[] theta = m.initialParameters(3);
    double[] grad = new double[theta.length];
    Random r = new Random(5);
    double[] x = new double[batch * m.inputWidth()];
    double[] y = new double[batch * m.targetWidth()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    for (int e = 0; e < batch; e++) {
      y[e * m.targetWidth() + r.nextInt(m.targetWidth())] = 1.0;
    }
    long least = Long.MAX_VALUE;
    int rounds = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int round = 0; round < 400 && least > 0 && System.nanoTime() < deadline; round++) {
      long before = threads.getThreadAllocatedBytes(thread);
      for (int s = 0; s < stepsPerRound; s++) {
        m.lossAndGradient(theta, x, y, batch, grad);
        for (int i = 0; i < theta.length; i++) {
          theta[i] -= 1e-3 * grad[i];
        }
      }
      long after = threads.getThreadAllocatedBytes(thread);
      // the counter is read before and after (-1 would mean it is off, and 0 - 0 no evidence)
      assertTrue(before > 0 && after >= before, "allocation counter read: " + before + ", " + after);
      least = Math.min(least, after - before);
      rounds++;
    }
    assertTrue(rounds > 0, "no round of steps ran");
    assertTrue(least == 0, file + " " + precision + " at batch " + batch + ": every round of "
        + stepsPerRound
        + " steps allocated, at least " + least + " bytes");
  }
}
