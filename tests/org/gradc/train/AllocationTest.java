package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** After warm-up, training steps allocate nothing (measured with the JVM's per-thread counter). */
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
}
