package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.gradc.Gradc;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.Optimizer;
import org.gradc.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The same training gives the same parameters to the bit, run after run in one JVM: while the
 * first runs execute interpreted and the later ones compiled by C1 and C2, and with tanh over
 * more than 512 elements (the vectorized path).
 */
class ReproducibleTrainingTest {
  @Test
  void repeatedTrainingGivesBitIdenticalParameters() {
    CompiledModel m = Gradc.compile("model Repro {\n  input x[4]\n  target y[2]\n"
        + "  layer h = dense(x, 64, tanh)\n  layer g = dense(h, 32, tanh)\n"
        + "  layer o = dense(g, 2)\n  output o\n  loss mse(o, y)\n}\n");
    int n = 64;
    Random r = new Random(5);
    double[] x = new double[n * 4];
    double[] y = new double[n * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * r.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(x[i]);
    }
    // batch 32: tanh over 32 * 64 = 2,048 elements per call; 2 steps per epoch
    Trainer t = Trainer.of(m, Optimizer.adam(0.01)).batchSize(32).epochs(150).seed(11);
    double[] first = null;
    for (int run = 0; run < 6; run++) {
      double[] theta = m.initialParameters(3);
      t.fit(theta, x, y, n);
      if (first == null) {
        first = theta;
        assertTrue(first.length > 2000);
      } else {
        assertArrayEquals(first, theta, "run " + run + " differs from run 0");
      }
    }
  }
}
