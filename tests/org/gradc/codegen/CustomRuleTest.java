package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gradc.Gradc;
import org.gradc.cli.Cli;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.diff.Gradients;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Node;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A def's grad clause: checked against its body, used by differentiation, differentiable again. */
class CustomRuleTest {
  /** A right rule (proven or checked numerically), whose gradient must match finite differences. */
  static final String RIGHT = """
      def soft(x) = log(1 + exp(x)) grad(y, g) = g * sigmoid(x)
      def cube(x) = x * x * x grad(y, g) = 3 * g * y / x
      model R {
        input  x[2]
        target t
        param  w[2] = 0.5
        param  v = 0.3
        loss (dot(soft(w), x) + cube(v) - t) ^ 2
      }
      """;

  static final String WRONG = """
      def sq(x) = x * x grad(y, g) = g * x
      model W {
        input  x
        param  w = 1
        loss sq(w * x)
      }
      """;

  /** Straight-through clipping: the value is clipped, the gradient passes unchanged. */
  static final String STRAIGHT_THROUGH = """
      def clip(x) = max(min(x, 1), -1) grad(y, g) = g
      model S {
        input  x[2]
        target t
        param  w[2] = 2
        loss (dot(clip(w), x) - t) ^ 2
      }
      """;

  private static final double[] X = {1.5, -0.5, 0.25, 2};
  private static final double[] T = {0.5, -1};

  @Test
  void aRightRuleIsAcceptedAndItsGradientMatchesFiniteDifferences() {
    CompiledModel m = Gradc.compile(RIGHT);
    double[] theta = {0.5, -0.7, 0.3};
    double[] grad = new double[3];
    m.lossAndGradient(theta, X, T, 2, grad);
    for (int i = 0; i < theta.length; i++) {
      assertEquals(central(m, theta, i), grad[i], 1e-7, "parameter " + i);
    }
  }

  @Test
  void perExampleGradientsUseTheRule() {
    // the straight-through rule, trusted: each example's gradient ignores the clipping too
    CompiledModel m = Gradc.load(new SourceFile("s.grad", STRAIGHT_THROUGH), true).models().get(0)
        .compile();
    double[] theta = {2, -3};
    double[] each = new double[4];
    m.perExampleGradients(theta, X, T, 2, each);
    double[] mean = new double[2];
    m.lossAndGradient(theta, X, T, 2, mean);
    // residuals: 1.5 + 0.5 - 0.5 = 1.5 and 0.25 - 2 + 1 = -0.75; dL_b/dw = 2 r_b x_b
    assertEquals(4.5, each[0], 1e-12);
    assertEquals(-1.5, each[1], 1e-12);
    assertEquals(-0.375, each[2], 1e-12);
    assertEquals(-3, each[3], 1e-12);
    assertEquals((each[0] + each[2]) / 2, mean[0], 1e-12);
    assertEquals((each[1] + each[3]) / 2, mean[1], 1e-12);
  }

  @Test
  void secondOrderDifferentiatesTheRuleItself() {
    // H·v by the rule's own derivative (3 g y / x differentiated again) against central
    // differences of the generated gradient along v
    CompiledModel m = Gradc.compile(RIGHT);
    double[] theta = {0.5, -0.7, 0.3};
    double[] dir = {0.2, -1, 0.7};
    double[] hvp = new double[3];
    m.hessianVectorProduct(theta, dir, X, T, 2, hvp);
    double h = 1e-5;
    double[] up = new double[3];
    double[] down = new double[3];
    m.lossAndGradient(shift(theta, dir, h), X, T, 2, up);
    m.lossAndGradient(shift(theta, dir, -h), X, T, 2, down);
    for (int i = 0; i < 3; i++) {
      assertEquals((up[i] - down[i]) / (2 * h), hvp[i], 1e-6, "entry " + i);
    }
  }

  @Test
  void aRuleTheSimplifierProvesNeedsNoPoints() {
    // log(-1 - x²) is NaN everywhere, so only the symbolic proof can accept the first rule
    String body = "def f(x) = log(-1 - x * x) grad(y, g) = ";
    String model = "\nmodel M {\n  param w = 1\n  loss f(w)\n}\n";
    String proven = body + "-(g / (-1 - x * x)) * x + -(g / (-1 - x * x)) * x" + model;
    assertEquals(1, Gradc.load(new SourceFile("p.grad", proven)).models().size());
    GradcException e = assertThrows(GradcException.class,
        () -> Gradc.load(new SourceFile("h.grad", body + "-(g / (-1 - x * x)) * x" + model)));
    assertTrue(e.diagnostics().get(0).format().startsWith("h.grad:1:28: error: the grad clause of"
        + " 'f' could not be checked"), e.diagnostics().get(0).format());
  }

  @Test
  void gradStaysAnOrdinaryName() {
    String source = "def grad(grad) = grad * 2 grad(y, g) = 2 * g\n"
        + "model M {\n  input grad2\n  param w = 1\n  loss grad(w * grad2)\n}\n";
    assertEquals(1, Gradc.load(new SourceFile("g.grad", source)).models().size());
  }

  @Test
  void aWrongRuleIsAnErrorAtItsGradClause() {
    GradcException e = assertThrows(GradcException.class,
        () -> Gradc.load(new SourceFile("w.grad", WRONG)));
    Diagnostic d = e.diagnostics().get(0);
    String text = d.format();
    assertTrue(text.startsWith("w.grad:1:19: error: the grad clause of 'sq' disagrees"), text);
    assertTrue(text.contains("central differences give"), text);
    // trusting rules skips only the numeric check, so the wrong rule is then used as written
    assertEquals(1, Gradc.load(new SourceFile("w.grad", WRONG), true).models().size());
  }

  @Test
  void aStraightThroughRuleNeedsTrustAndThenPassesTheGradient() {
    assertThrows(GradcException.class, () -> Gradc.load(new SourceFile("s.grad", STRAIGHT_THROUGH)));
    CompiledModel m = Gradc.load(new SourceFile("s.grad", STRAIGHT_THROUGH), true).models().get(0)
        .compile();
    double[] grad = new double[2];
    double[] theta = {2, -3};
    m.lossAndGradient(theta, new double[] {1, 2}, new double[] {0}, 1, grad);
    // clip(w) = [1, -1], residual 1 - 2 - 0 = -1; dL/dw = 2 · (-1) · x, clipping ignored
    assertEquals(-2, grad[0], 1e-15);
    assertEquals(-4, grad[1], 1e-15);
  }

  @Test
  void theCommandLineReportsAndTrusts(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("s.grad");
    Files.writeString(file, STRAIGHT_THROUGH);
    Cli.Run plain = Cli.run("check", file.toString());
    assertEquals(1, plain.status(), plain.err());
    assertTrue(plain.err().contains(file + ":1:34: error: the grad clause of 'clip'"), plain.err());
    assertTrue(plain.err().contains("--trust-rules"), plain.err());
    Cli.Run trusted = Cli.run("check", "--trust-rules", file.toString());
    assertEquals(0, trusted.status(), trusted.err());
    Cli.Run gradcheck = Cli.run("gradcheck", "--trust-rules", file.toString());
    // the gradient is meant to differ from finite differences of the clipped value
    assertEquals(1, gradcheck.status(), gradcheck.out() + gradcheck.err());
  }

  @Test
  void printersShowTheRulesResultAndTheCodeEqualsTheEvaluator(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("r.grad");
    Files.writeString(file, RIGHT);
    Cli.Run grad = Cli.run("grad", file.toString());
    assertEquals(0, grad.status(), grad.err());
    // the rule's sigmoid, σ in the one printer's notation, not the automatic exp(w) / (1 + exp(w))
    assertTrue(grad.out().contains("⊙ σ(w)"), grad.out());
    assertTrue(!grad.out().contains("exp(w) /"), grad.out());
    assertEquals(0, Cli.run("explain", file.toString()).status());
    Cli.Run check = Cli.run("gradcheck", file.toString());
    assertEquals(0, check.status(), check.out() + check.err());
    Cli.Run emit = Cli.run("emit", file.toString(), "-o", dir.resolve("out").toString());
    assertEquals(0, emit.status(), emit.out() + emit.err());
  }

  @Test
  void generatedCodeEqualsTheEvaluator() {
    CheckedModel c = Gradc.check(new SourceFile("r.grad", RIGHT)).models().get(0);
    List<Node> params = c.params().stream().map(CheckedModel.Param::node).toList();
    Gradients g = Simplifier.gradients(c.graph(), c.loss(), params);
    Map<Node, double[]> ref = Evaluator.evaluate(g.gradients().values(), 2, Map.of(
        "w", new double[] {0.5, -0.7}, "v", new double[] {0.3}, "x", X, "t", T));
    double[] grad = new double[3];
    Gradc.compile(RIGHT).lossAndGradient(new double[] {0.5, -0.7, 0.3}, X, T, 2, grad);
    double[] w = ref.get(g.gradient(params.get(0)));
    assertEquals(w[0], grad[0], 1e-12);
    assertEquals(w[1], grad[1], 1e-12);
    assertEquals(ref.get(g.gradient(params.get(1)))[0], grad[2], 1e-12);
  }

  private static double central(CompiledModel m, double[] theta, int i) {
    double h = 1e-6;
    double[] up = theta.clone();
    double[] down = theta.clone();
    up[i] += h;
    down[i] -= h;
    double[] scratch = new double[theta.length];
    return (m.lossAndGradient(up, X, T, 2, scratch) - m.lossAndGradient(down, X, T, 2, scratch))
        / (2 * h);
  }

  private static double[] shift(double[] theta, double[] dir, double h) {
    double[] out = theta.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += h * dir[i];
    }
    return out;
  }
}
