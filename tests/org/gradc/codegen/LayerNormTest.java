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
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.ir.Evaluator;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layernorm layer kind, as torch.nn.LayerNorm(n): values, gradients, generated code. */
class LayerNormTest {
  static final String VECTOR = """
      model V {
        input  x[4]
        target y[2]
        layer  n    = layernorm(x)
        layer  h    = dense(n, 3, tanh)
        layer  hn   = layernorm(h)
        layer  yhat = dense(hn, 2)
        output yhat
        loss   mse(yhat, y)
      }
      """;

  static final String MATRIX = """
      model M {
        input  x[2, 3]
        target y[2, 2]
        layer  n    = layernorm(x)
        layer  yhat = dense(n, 2, gelu)
        output n, yhat
        loss   mse(yhat, y)
      }
      """;

  static CheckedModel model(String text) {
    return Gradc.check(new SourceFile("ln.grad", text)).models().get(0);
  }

  static double[] of(CheckedModel m, String name, Map<String, double[]> leaves, int batch) {
    for (CheckedModel.Value v : m.intermediates()) {
      if (v.name().equals(name)) {
        return new Evaluator(batch, leaves).value(v.node());
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void normalisesAVectorByHand() {
    CheckedModel m = model("model L {\n input x[4]\n layer n = layernorm(x)\n loss sum(n)\n}\n");
    // mean 2.5, biased variance 1.25
    double s = Math.sqrt(1.25 + 1e-5);
    double[] want = {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s};
    Map<String, double[]> v = Map.of("x", new double[] {1, 2, 3, 4},
        "n.gamma", new double[] {1, 1, 1, 1}, "n.beta", new double[] {0, 0, 0, 0});
    assertArrayEquals(want, of(m, "n", v, 1), 1e-15);
    assertArrayEquals(new double[] {-1.3416354, -0.4472118, 0.4472118, 1.3416354},
        of(m, "n", v, 1), 1e-7);
    Map<String, double[]> affine = Map.of("x", new double[] {1, 2, 3, 4},
        "n.gamma", new double[] {2, 2, 2, 2}, "n.beta", new double[] {0.5, 0, 0, -1});
    assertArrayEquals(new double[] {-3 / s + 0.5, -1 / s, 1 / s, 3 / s - 1},
        of(m, "n", affine, 1), 1e-15);
  }

  @Test
  void normalisesEachRowOfAMatrix() {
    CheckedModel m = model("model L {\n input x[2, 3]\n layer n = layernorm(x)\n loss sum(n)\n}\n");
    double s = Math.sqrt(2.0 / 3 + 1e-5);
    double t = Math.sqrt(2.0 / 3 * 100 + 1e-5);
    Map<String, double[]> v = Map.of(
        "x", new double[] {1, 2, 3, 10, 20, 30, 0, 0, 0, -1, 0, 1},
        "n.gamma", new double[] {1, 1, 1}, "n.beta", new double[] {0, 0, 0});
    // batch of 2: rows (1, 2, 3) and (10, 20, 30); then a constant row and (-1, 0, 1)
    assertArrayEquals(new double[] {-1 / s, 0, 1 / s, -10 / t, 0, 10 / t, 0, 0, 0, -1 / s, 0,
        1 / s}, of(m, "n", v, 2), 1e-12);
  }

  @Test
  void generatedCodeMatchesReferenceAndFiniteDifferences() {
    for (String text : List.of(VECTOR, MATRIX)) {
      Plan plan = Planner.plan(model(text));
      LoadedModel m = ModelCompiler.compile(plan);
      for (int batch : new int[] {1, 3}) {
        ModelHarness.Point random = ModelHarness.randomPoint(m, batch, -1, 1, 5 + batch);
        assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, random, 1e-12));
        ModelHarness.Point start = new ModelHarness.Point(m.initialParameters(batch),
            random.inputs(), random.targets(), batch);
        assertEquals(List.of(), ModelHarness.compareWithReference(plan, m, start, 1e-12));
        assertEquals(List.of(), ModelHarness.finiteDifferences(m, start, 200, 1e-6));
        assertEquals(List.of(), ModelHarness.finiteDifferences(m, random, 200, 1e-6));
      }
    }
  }

  @Test
  void checkGradcheckGradAndExplain(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("ln.grad");
    Files.writeString(file, VECTOR);
    Cli.Run c = Cli.run("check", file.toString());
    assertEquals(0, c.status(), c.out() + c.err());
    assertTrue(c.out().contains("params        n.gamma  [4]     ones\n"
        + "                n.beta   [4]     zeros\n"
        + "                h.W      [4, 3]  xavier\n"), c.out());
    assertTrue(c.out().contains("hn.gamma [3]     ones"), c.out());
    assertTrue(c.out().contains("parameters    37"), c.out());
    Cli.Run r = Cli.run("gradcheck", file.toString(), "--seed", "3");
    assertEquals(0, r.status(), r.out() + r.err());
    assertTrue(r.out().contains("ok: worst error"), r.out());
    Path matrix = dir.resolve("lnm.grad");
    Files.writeString(matrix, MATRIX);
    Cli.Run rm = Cli.run("gradcheck", matrix.toString(), "--seed", "3");
    assertEquals(0, rm.status(), rm.out() + rm.err());
    Cli.Run grad = Cli.run("grad", matrix.toString());
    assertEquals(0, grad.status(), grad.out() + grad.err());
    assertTrue(grad.out().contains("dL/dn.gamma = "), grad.out());
    assertTrue(grad.out().contains("sqrt("), grad.out());
    Cli.Run story = Cli.run("explain", matrix.toString());
    assertEquals(0, story.status(), story.out() + story.err());
    assertTrue(story.out().contains("n = ") && story.out().contains("n.gamma + n.beta"),
        story.out());
  }

  @Test
  void errors() {
    assertError("layer n = layernorm(x, 2)",
        "ln.grad:4:13: error: 'layernorm' takes 1 argument (input), but 2 were given");
    assertError("layer n = layernorm(s)",
        "ln.grad:4:23: error: layernorm input must be a vector or a matrix, but 's' has shape []");
    assertError("layer n = batchnorm(x)",
        "ln.grad:4:13: error: unknown function 'batchnorm' for a layer; expected dense, layernorm, conv2d, maxpool2d, avgpool2d or flatten");
    assertError("layer n = layernorm(x)\n  z = n.W",
        "ln.grad:5:9: error: layer 'n' has no parameter 'W'; a layernorm layer has gamma and beta"
            + " (and .T transposes)");
  }

  private static void assertError(String stmt, String want) {
    String text = "model E {\n  input x[4]\n  input s\n  " + stmt + "\n  loss sum(x)\n}\n";
    try {
      Gradc.check(new SourceFile("ln.grad", text));
    } catch (GradcException e) {
      String got = e.diagnostics().get(0).format();
      assertTrue(got.startsWith(want), got);
      return;
    }
    throw new AssertionError("no error for " + stmt);
  }
}
