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
import org.gradc.diag.SourceFile;
import org.gradc.ir.Builtins;
import org.gradc.ir.Evaluator;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Shape;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gelu builtin (PyTorch's tanh form): values, derivative, generated code and gradcheck. */
class GeluTest {
  static final String MODEL = """
      model G {
        input  x[3]
        target y[2]
        layer  h    = dense(x, 4, gelu)
        layer  yhat = dense(h, 2)
        s = gelu(yhat * 3)
        output yhat, s
        loss   mse(yhat, y) + mean(s)
      }
      """;

  static double reference(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  @Test
  void valuesAreTorchsTanhForm() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.SCALAR);
    Node y = Builtins.lookup("gelu").orElseThrow().apply(g, List.of(x));
    double[] in = {1, -1, 2, 0.5, 0, 30, -30, 1e200, -1e200};
    double[] out = new Evaluator(in.length, Map.of("x", in)).value(y);
    // torch.nn.functional.gelu(torch.tensor([1., -1., 2., .5], dtype=torch.float64),
    //                          approximate='tanh')
    assertArrayEquals(new double[] {0.8411919906082768, -0.15880800939172324, 1.954597694087775,
        0.34571400982514394, 0, 30, 0, 1e200, 0}, out, 1e-15);
    for (int i = 0; i < 4; i++) {
      assertEquals(reference(in[i]), out[i], 1e-15);
    }
    assertTrue(Double.isNaN(new Evaluator(1, Map.of("x", new double[] {Double.NaN})).value(y)[0]));
  }

  @Test
  void derivativeIsExact() {
    // gelu'(1) = 0.5 (1 + t) + 0.5 (1 - t²) √(2/π) (1 + 3 · 0.044715), t = tanh(√(2/π) · 1.044715)
    GraphBuilder g = new GraphBuilder();
    Node x = g.param("x", Shape.SCALAR);
    Node y = Builtins.lookup("gelu").orElseThrow().apply(g, List.of(x));
    Node d = org.gradc.diff.Differentiator.differentiate(g.freeze(), y, List.of(x)).gradient(x);
    double[] at = {1, -1, 0, 3};
    for (double v : at) {
      double t = Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
      double want = 0.5 * (1 + t)
          + 0.5 * v * (1 - t * t) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v);
      assertEquals(want, new Evaluator(1, Map.of("x", new double[] {v})).scalar(d), 1e-15);
    }
    assertEquals(1.0829640838457826,
        new Evaluator(1, Map.of("x", new double[] {1})).scalar(d), 1e-15);
  }

  @Test
  void generatedCodeMatchesReferenceAndFiniteDifferences() {
    CheckedModel model = Gradc.check(new SourceFile("g.grad", MODEL)).models().get(0);
    Plan plan = Planner.plan(model);
    String source = JavaEmitter.emit(plan, "p").source();
    assertTrue(source.contains("org.gradc.runtime.FastMath.gelu("), source);
    LoadedModel m = ModelCompiler.compile(plan);
    for (int batch : new int[] {1, 3}) {
      ModelHarness.Point pt = ModelHarness.randomPoint(m, batch, -2, 2, 11 + batch);
      assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, pt, 1e-12));
      assertEquals(List.of(), ModelHarness.finiteDifferences(m, pt, 200, 1e-6));
    }
  }

  @Test
  void gradcheckPassesAndCheckShowsTheDefaultInit(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("gelu.grad");
    Files.writeString(file, MODEL);
    Cli.Run r = Cli.run("gradcheck", file.toString(), "--seed", "3");
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("ok: worst error"), r.out());
    Cli.Run c = Cli.run("check", file.toString());
    assertEquals(0, c.status(), c.out() + c.err());
    assertTrue(c.out().contains("h.W    [3, 4]  xavier"), c.out());
  }

  @Test
  void gradAndExplainPrintIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("gelu.grad");
    Files.writeString(file, MODEL);
    Cli.Run grad = Cli.run("grad", file.toString());
    assertEquals(0, grad.status(), grad.out() + grad.err());
    // gelu' in terms of x: 0.5 (1 + t) + 0.5 x (1 - t²) √(2/π) (1 + 3 · 0.044715 x²)
    assertTrue(grad.out().contains("tanh(0.7978845608028654 · (z1 + 0.044715 · z1 ⊙ z1 ⊙ z1))"),
        grad.out());
    Cli.Run tex = Cli.run("grad", file.toString(), "--latex");
    assertTrue(tex.out().contains("\\tanh\\left(0.7978845608028654"), tex.out());
    Cli.Run story = Cli.run("explain", file.toString());
    assertEquals(0, story.status(), story.out() + story.err());
    assertTrue(story.out().contains("gelu(z"), story.out());
    Cli.Run md = Cli.run("explain", file.toString(), "--markdown");
    assertTrue(md.out().contains("\\operatorname{gelu}\\left("), md.out());
  }
}
