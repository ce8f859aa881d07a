package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

/**
 * The compiler's warm-up: its class compiles, it is not counted as a compilation, its thread
 * ends, and a model compiled while it runs computes what one compiled without it computes.
 */
class CompilerWarmUpTest {
  static final String MODEL = "model Warm {\n input x[3]\n target y[2]\n param W[3, 2] = ones\n"
      + " yhat = tanh(x @ W)\n output yhat\n loss mse(yhat, y)\n}\n";

  @Test
  void theWarmUpClassCompilesAndIsNotCounted() {
    long before = ClassCompiler.compilations();
    JaninoCompiler.warmUp();
    assertEquals(before, ClassCompiler.compilations());
  }

  @Test
  void theWarmUpThreadEndsAndChangesNoResult() throws InterruptedException {
    ClassCompiler.warmUpInBackground();
    ClassCompiler.warmUpInBackground();
    CompiledModel during = Gradc.compile(MODEL.replace("Warm", "WarmDuring"));
    List<Thread> warming = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("gradc-compiler-warm-up")).toList();
    assertFalse(warming.size() > 1, "one warm-up per JVM");
    for (Thread t : warming) {
      t.join(120_000);
      assertFalse(t.isAlive(), "the warm-up thread ended");
    }
    CompiledModel after = Gradc.compile(MODEL.replace("Warm", "WarmAfter"));
    double[] theta = during.initialParameters(3);
    double[] x = {0.5, -1, 2, 1, 0, -0.25};
    double[] y = {0.1, 0.2, -0.3, 0.4};
    double[] g1 = new double[during.parameterCount()];
    double[] g2 = new double[after.parameterCount()];
    assertEquals(during.lossAndGradient(theta, x, y, 2, g1),
        after.lossAndGradient(theta, x, y, 2, g2));
    assertArrayEquals(g1, g2);
  }
}
