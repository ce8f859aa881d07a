package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.gradc.Examples;
import org.gradc.Gradc;
import org.gradc.Model;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.ReferenceModel;
import org.junit.jupiter.api.Test;

/** Per-example gradients: one pass, rows that average to the batch gradient. */
class PerExampleGradientsTest {
  @Test
  void everyExampleAveragesToTheBatchGradientAndMatchesBatchOfOneCalls() throws Exception {
    int checked = 0;
    for (Path file : Examples.files()) {
      for (Model model : Gradc.load(Gradc.read(file)).models()) {
        CompiledModel m = model.compile();
        Random rnd = new Random(file.toString().hashCode());
        int b = 5;
        int n = m.parameterCount();
        double[] theta = m.initialParameters(9);
        double[] x = HessianVectorProductTest.random(rnd, b * m.inputWidth(), false);
        double[] y = HessianVectorProductTest.random(rnd, b * m.targetWidth(), true);
        double[] rows = new double[b * n];
        m.perExampleGradients(theta, x, y, b, rows);
        double[] mean = new double[n];
        for (int e = 0; e < b; e++) {
          for (int i = 0; i < n; i++) {
            mean[i] += rows[e * n + i] / b;
          }
        }
        double[] batch = new double[n];
        m.lossAndGradient(theta, x, y, b, batch);
        double scale = Math.max(1, HessianVectorProductTest.max(batch));
        assertArrayEquals(batch, mean, 1e-12 * scale, file.toString());
        // row e is the gradient of a batch holding example e alone
        int e = 3;
        double[] one = new double[n];
        m.lossAndGradient(theta, Arrays.copyOfRange(x, e * m.inputWidth(), (e + 1) * m.inputWidth()),
            Arrays.copyOfRange(y, e * m.targetWidth(), (e + 1) * m.targetWidth()), 1, one);
        assertArrayEquals(one, Arrays.copyOfRange(rows, e * n, (e + 1) * n),
            1e-12 * Math.max(1, HessianVectorProductTest.max(one)), file.toString());
        if (n < 5000) {
          double[] want = new double[b * n];
          ReferenceModel.of(Files.readString(file), model.name())
              .perExampleGradients(theta, x, y, b, want);
          assertArrayEquals(want, rows, 1e-9 * Math.max(1, HessianVectorProductTest.max(want)),
              file.toString());
        }
        checked++;
      }
    }
    assertTrue(checked >= 9, "models checked: " + checked);
  }

  @Test
  void byHandWithASharedRegularizer() {
    // loss_b = (w x_b - y_b)² + w²: d/dw = 2 (w x_b - y_b) x_b + 2 w
    CompiledModel m = Gradc.compile("""
        model Reg {
          input  x
          target y
          param  w = 1
          loss   (w * x - y) ^ 2 + w * w
        }
        """);
    double[] rows = new double[3];
    m.perExampleGradients(new double[] {1}, new double[] {1, 2, -1}, new double[] {0, 1, 1}, 3,
        rows);
    assertArrayEquals(new double[] {2 + 2, 4 + 2, 4 + 2}, rows, 1e-15);
  }

  @Test
  void shortOutputIsRejected() {
    CompiledModel m = Gradc.compile("""
        model Reg {
          input  x
          param  w = 1
          loss   (w * x) ^ 2
        }
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.perExampleGradients(new double[] {1}, new double[] {1, 2}, new double[0], 2,
            new double[1]));
    assertEquals("out has 1 elements, expected at least 2", e.getMessage());
  }
}
