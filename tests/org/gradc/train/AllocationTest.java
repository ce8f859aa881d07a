package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * After warm-up, training steps allocate nothing (measured with the JVM's per-thread counter):
 * {@code fit}'s, and {@link TrainStep}'s on the benchmark models in f64 and f32 with each
 * optimizer, with clipping and without.
 */
class AllocationTest {
  @Test
  void stepsAfterWarmUpAllocateNothing() throws DataException {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    long thread = Thread.currentThread().getId();

    CompiledModel m = Models.compileFile("examples/iris.grad");
    DataSet d = Models.data("examples/data/iris.csv", m);
    // 150 examples in batches of 16: nine full batches and a partial one of 6 per epoch
    Trainer t = Trainer.of(m, Optimizer.adam(0.01)).batchSize(16).epochs(60).clip(5).weightDecay(1e-4);
    long[] bytes = {-1, -1};
    TrainResult r = t.fit(m.initialParameters(1), d.inputs(), d.targets(), d.examples(), new TrainListener() {
      @Override
      public boolean onEpoch(int epoch, double loss, double[] theta) {
        if (epoch == 20) {
          bytes[0] = threads.getThreadAllocatedBytes(thread);
        } else if (epoch == 60) {
          bytes[1] = threads.getThreadAllocatedBytes(thread);
        }
        return true;
      }
    });
    assertEquals(TrainResult.Status.COMPLETED, r.status());
    assertEquals(60, r.epochs());
    assertTrue(bytes[0] > 0 && bytes[1] > 0, "both counters read: " + bytes[0] + ", " + bytes[1]);
    long allocated = bytes[1] - bytes[0];
    // 400 steps; a single array per step would be tens of kilobytes
    assertTrue(allocated < 8192, allocated + " bytes allocated in 40 epochs");
  }

  @ParameterizedTest
  @CsvSource({"w2_mlp.grad, 32, F64, adam, 1", "w2_mlp.grad, 32, F32, adam, 0",
      "w2_mlp.grad, 32, F64, sgd, 0", "w2_mlp.grad, 32, F32, momentum, 1",
      "w3_deep.grad, 64, F64, momentum, 0", "w3_deep.grad, 64, F32, sgd, 1"})
  void warmTrainStepsAllocateNothing(String file, int batch, Precision precision, String kind,
      double clip) throws IOException {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    long thread = Thread.currentThread().getId();

    CompiledModel m = Gradc.load(new SourceFile(file,
        Files.readString(Path.of("bench", "workloads", file)))).models().get(0).compile(precision);
    Optimizer o = Optimizer.byName(kind);
    TrainStep step = Trainer.of(m, o.withLearningRate(1e-4)).clip(clip).weightDecay(1e-4)
        .schedule(Schedule.parse("cosine(warmup=5)")).newStep(100_000);
    double[] theta = m.initialParameters(3);
    Random r = new Random(5);
    double[] x = new double[batch * m.inputWidth()];
    double[] y = new double[batch * m.targetWidth()];
    java.util.Arrays.setAll(x, i -> r.nextGaussian());
    for (int e = 0; e < batch; e++) {
      y[e * m.targetWidth() + r.nextInt(m.targetWidth())] = 1.0;
    }
    // Vector API code allocates until C2 has compiled it: rounds run until one allocates nothing
    long least = Long.MAX_VALUE;
    int rounds = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    for (int round = 0; round < 400 && least > 0 && System.nanoTime() < deadline; round++) {
      long before = threads.getThreadAllocatedBytes(thread);
      for (int s = 0; s < 10; s++) {
        step.step(theta, x, y, batch);
      }
      long after = threads.getThreadAllocatedBytes(thread);
      assertTrue(before > 0 && after >= before, "allocation counter read: " + before + ", " + after);
      least = Math.min(least, after - before);
      rounds++;
    }
    assertTrue(rounds > 0 && !step.diverged(), "steps ran without diverging");
    assertTrue(step.steps() >= 10, step.steps() + " updates applied");
    assertEquals(0, least, file + " " + precision + " " + kind + " clip " + clip
        + ": every round of 10 steps allocated, at least " + least + " bytes");
  }
}
