package org.gradc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diff.Differentiator;
import org.gradc.diff.Gradients;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Node;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test on every example model: the simplified objective and gradients have the same
 * values as the unsimplified ones at random parameters and a random batch.
 */
class ExampleModelsSimplifyTest {

  static Stream<Path> examples() {
    return org.gradc.Examples.files().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void simplificationPreservesValues(Path example) throws IOException {
    for (CheckedModel m : Gradc.check(Gradc.read(example)).models()) {
      List<Node> params = m.params().stream().map(CheckedModel.Param::node).toList();
      Gradients raw = Differentiator.differentiate(m.graph(), m.loss(), params);
      Gradients simple = Simplifier.gradients(m.graph(), m.loss(), params);
      for (long seed = 1; seed <= 3; seed++) {
        int batch = (int) seed + 1;
        Evaluator ev = new Evaluator(batch, randomLeaves(m, batch, seed));
        assertClose(ev.value(raw.objective()), ev.value(simple.objective()), example + " objective");
        for (Node p : params) {
          assertClose(ev.value(raw.gradient(p)), ev.value(simple.gradient(p)), example + " dL/d" + p.name());
        }
      }
    }
  }

  /** Params in [-1, 1]; inputs in [-1, 1]; targets one-hot rows (valid for every loss used). */
  private static Map<String, double[]> randomLeaves(CheckedModel m, int batch, long seed) {
    Random r = new Random(seed);
    Map<String, double[]> values = new HashMap<>();
    m.params().forEach(p -> values.put(p.name(), uniform(r, p.node().shape().size(), -1, 1)));
    m.inputs().forEach(v -> values.put(v.name(), uniform(r, batch * v.node().shape().size(), -1, 1)));
    for (CheckedModel.Value t : m.targets()) {
      int width = t.node().shape().size();
      double[] y = new double[batch * width];
      for (int b = 0; b < batch; b++) {
        y[b * width + r.nextInt(width)] = 1;
      }
      values.put(t.name(), y);
    }
    return values;
  }

  private static double[] uniform(Random r, int n, double lo, double hi) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = lo + (hi - lo) * r.nextDouble();
    }
    return out;
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      double scale = Math.max(1e-12, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      assertTrue(Math.abs(expected[i] - actual[i]) / scale <= 1e-9 || Math.abs(expected[i] - actual[i]) <= 1e-14,
          what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }
}
