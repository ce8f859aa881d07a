package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradc.cli.Cli;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/** Per-example clipping: each example's gradient scaled to norm at most c, then averaged. */
class PerExampleClipTest {
  static final String FIT = """
      model Fit {
        input  x[2]
        target y
        param  w[2] = 0.5
        param  b = 0
        loss   (dot(w, x) + b - y) ^ 2
      }
      """;
  static final double[] X = {1, 2, -1, 0.5, 3, -2, 0.2, 0.1};
  static final double[] Y = {1, -1, 4, 0};

  @Test
  void oneSgdStepMovesByTheMeanOfClippedExampleGradients() {
    CompiledModel m = Models.compile(FIT);
    double c = 0.75;
    double[] theta = m.initialParameters(1);
    double[] rows = new double[4 * 3];
    m.perExampleGradients(theta, X, Y, 4, rows);
    double[] want = theta.clone();
    int clipped = 0;
    for (int e = 0; e < 4; e++) {
      double norm = Math.sqrt(rows[3 * e] * rows[3 * e] + rows[3 * e + 1] * rows[3 * e + 1]
          + rows[3 * e + 2] * rows[3 * e + 2]);
      double scale = Math.min(1, c / (norm + 1e-6));
      clipped += scale < 1 ? 1 : 0;
      for (int i = 0; i < 3; i++) {
        want[i] -= 0.1 * rows[3 * e + i] * scale / 4;
      }
    }
    assertTrue(clipped >= 2, "the case clips some examples and not others: " + clipped);
    Trainer t = Trainer.of(m, Optimizer.sgd(0.1)).batchSize(4).epochs(1).shuffle(false)
        .clipPerExample(c);
    assertEquals("sgd(lr=0.1), batch 4, 1 epochs, seed 42, clip_per_example 0.75", t.toString());
    t.fit(theta, X, Y, 4);
    assertArrayEquals(want, theta, 1e-15);
  }

  @Test
  void aBoundNoExampleReachesChangesNothing() {
    CompiledModel m = Models.compile(FIT);
    Trainer plain = Trainer.of(m, Optimizer.adam(0.01)).batchSize(2).epochs(20);
    double[] a = m.initialParameters(3);
    double[] b = a.clone();
    plain.fit(a, X, Y, 4);
    plain.clipPerExample(1e9).fit(b, X, Y, 4);
    assertArrayEquals(a, b, 1e-12);
  }

  @Test
  void theCommandLineClipsPerExample() {
    Cli.Run r = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv", "--quiet",
        "--epochs", "50", "--clip-per-example", "0.5");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.out().contains(", clip_per_example 0.5\n"), r.out());
    Cli.Run bad = Cli.run("train", "examples/xor.grad", "--data", "examples/data/xor.csv",
        "--clip-per-example", "-2");
    assertEquals(2, bad.status(), bad::toString);
    assertTrue(bad.err().contains("clip_per_example must be a non-negative number, got -2.0"),
        bad.err());
  }

  @Test
  void aNegativeBoundIsRejected() {
    Trainer t = Trainer.of(Models.compile(FIT), Optimizer.sgd(0.1));
    assertEquals("clip_per_example must be a non-negative number, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> t.clipPerExample(-1)).getMessage());
    assertEquals(0, t.clipPerExample());
  }
}
