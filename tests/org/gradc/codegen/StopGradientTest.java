package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradc.Gradc;
import org.gradc.cli.Cli;
import org.gradc.diff.Differentiator;
import org.gradc.ir.Builtins;
import org.gradc.ir.Evaluator;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop_gradient(e): the value of e, derivative zero, in the graph, the code and the printers. */
class StopGradientTest {
  static final String MODEL = """
      model S {
        input  x[2]
        target y[2]
        param  w[2] = 0.5
        param  c[2] = 2
        p = w * x
        loss sum((p - y) ^ 2) + sum(w * stop_gradient(w)) + sum(stop_gradient(c * c))
      }
      """;

  @Test
  void valueIsKeptAndDerivativeIsZero() {
    GraphBuilder g = new GraphBuilder();
    Node w = g.param("w", Shape.SCALAR);
    Node y = g.mul(w, Builtins.lookup("stop_gradient").orElseThrow().apply(g, List.of(w)));
    Node d = Differentiator.differentiate(g.freeze(), y, List.of(w)).gradient(w);
    for (double v : new double[] {-2, 0.5, 3}) {
      Evaluator e = new Evaluator(1, Map.of("w", new double[] {v}));
      assertEquals(v * v, e.scalar(y), 0);
      // d(w · sg(w))/dw = sg(w) = w, not 2w
      assertEquals(v, e.scalar(d), 0);
    }
  }

  @Test
  void generatedCodeComputesTheHandValues() {
    CompiledModel m = Gradc.compile(MODEL);
    double[] theta = {0.5, 0.5, 2, 2};
    double[] grad = new double[4];
    double loss = m.lossAndGradient(theta, new double[] {1, 2}, new double[] {0, 1}, 1, grad);
    // p - y = [0.5, 0]: 0.25 + w·w = 0.5 + c·c = 8
    assertEquals(8.75, loss, 1e-15);
    // dL/dw = 2 (p - y) x + sg(w) = [1, 0] + [0.5, 0.5]; nothing reaches c
    assertArrayEquals(new double[] {1.5, 0.5, 0, 0}, grad, 1e-15);
  }

  @Test
  void gradPrintsItAsAConstant(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sg.grad");
    Files.writeString(file, MODEL);
    Cli.Run grad = Cli.run("grad", file.toString());
    assertEquals(0, grad.status(), grad.out() + grad.err());
    assertTrue(grad.out().contains("⟦w⟧"), grad.out());
    assertTrue(grad.out().contains("dL/dc = 0"), grad.out());
    Cli.Run tex = Cli.run("grad", file.toString(), "--latex");
    assertTrue(tex.out().contains("[\\![w]\\!]"), tex.out());
    Cli.Run story = Cli.run("explain", file.toString());
    assertEquals(0, story.status(), story.out() + story.err());
  }
}
