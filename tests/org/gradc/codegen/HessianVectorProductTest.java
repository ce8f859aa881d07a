package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradc.Examples;
import org.gradc.Gradc;
import org.gradc.Model;
import org.gradc.runtime.CompiledModel;
import org.gradc.train.ReferenceModel;
import org.junit.jupiter.api.Test;

/**
 * Hessian-vector products: against central differences of the generated gradient on every
 * example model, and against hand-computed double-backward values on small models.
 */
class HessianVectorProductTest {
  /** Random values in [-1, 1]; targets in [0, 1] (valid for mse, bce and cross_entropy alike). */
  static double[] random(Random rnd, int n, boolean unit) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = unit ? rnd.nextDouble() : 2 * rnd.nextDouble() - 1;
    }
    return a;
  }

  /** Where H·v and (g(θ + h v) − g(θ − h v)) / 2h differ by more than tol · max(1, |H·v|∞). */
  static List<String> compareWithDifferences(CompiledModel m, double[] theta, double[] v,
      double[] x, double[] y, int b, double tol) {
    int n = m.parameterCount();
    double[] hv = new double[n];
    m.hessianVectorProduct(theta, v, x, y, b, hv);
    double[] fd = differences(m, theta, v, x, y, b, 1e-5);
    double[] near = null;
    double scale = 1;
    for (double e : hv) {
      scale = Math.max(scale, Math.abs(e));
    }
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < n && bad.size() < 5; i++) {
      if (!(Math.abs(fd[i] - hv[i]) <= tol * scale)) {
        // a relu or max-pooling kink within h of θ (the gradient jumps there, so the quotient
        // grows as 1/h): accepted when the quotient at h/10 agrees
        near = near != null ? near : differences(m, theta, v, x, y, b, 1e-6);
        if (!(Math.abs(near[i] - hv[i]) <= tol * scale && Math.abs(fd[i] - near[i]) > tol * scale)) {
          bad.add(m.name() + " theta[" + i + "]: hvp " + hv[i] + ", differences " + fd[i]);
        }
      }
    }
    return bad;
  }

  /** (g(θ + h v) − g(θ − h v)) / 2h. */
  static double[] differences(CompiledModel m, double[] theta, double[] v, double[] x, double[] y,
      int b, double h) {
    int n = m.parameterCount();
    double[] plus = theta.clone();
    double[] minus = theta.clone();
    for (int i = 0; i < n; i++) {
      plus[i] += h * v[i];
      minus[i] -= h * v[i];
    }
    double[] gp = new double[n];
    double[] gm = new double[n];
    m.lossAndGradient(plus, x, y, b, gp);
    m.lossAndGradient(minus, x, y, b, gm);
    double[] fd = new double[n];
    for (int i = 0; i < n; i++) {
      fd[i] = (gp[i] - gm[i]) / (2 * h);
    }
    return fd;
  }

  @Test
  void everyExampleMatchesCentralDifferencesOfTheGradient() throws Exception {
    int checked = 0;
    for (Path file : Examples.files()) {
      for (Model model : Gradc.load(Gradc.read(file)).models()) {
        CompiledModel m = model.compile();
        Random rnd = new Random(file.toString().hashCode());
        int b = 3;
        double[] theta = m.initialParameters(5);
        double[] v = random(rnd, m.parameterCount(), false);
        double[] x = random(rnd, b * m.inputWidth(), false);
        double[] y = random(rnd, b * m.targetWidth(), true);
        assertEquals(List.of(), compareWithDifferences(m, theta, v, x, y, b, 1e-6), file.toString());
        // the returned value is the directional derivative g · v
        double[] g = new double[m.parameterCount()];
        m.lossAndGradient(theta, x, y, b, g);
        double gv = 0;
        for (int i = 0; i < g.length; i++) {
          gv += g[i] * v[i];
        }
        double got = m.hessianVectorProduct(theta, v, x, y, b, new double[g.length]);
        assertEquals(gv, got, 1e-9 * Math.max(1, Math.abs(gv)), file.toString());
        if (m.parameterCount() < 5000) {
          // the reference evaluator on the unsimplified second derivative agrees
          double[] want = new double[g.length];
          double[] hv = new double[g.length];
          ReferenceModel.of(Files.readString(file), model.name())
              .hessianVectorProduct(theta, v, x, y, b, want);
          m.hessianVectorProduct(theta, v, x, y, b, hv);
          assertArrayEquals(want, hv, 1e-9 * Math.max(1, max(want)), file.toString());
        }
        checked++;
      }
    }
    assertTrue(checked >= 9, "models checked: " + checked);
  }

  static double max(double[] a) {
    double m = 0;
    for (double e : a) {
      m = Math.max(m, Math.abs(e));
    }
    return m;
  }

  @Test
  void crossTermsMatchDoubleBackwardByHand() {
    // f(a, b) = (a b - y)²: ∇f = 2 (a b - y) (b, a); H = 2 [[b², 2ab - y], [2ab - y, a²]].
    // At a = 2, b = 3, y = 1 (PyTorch: torch.autograd.grad(g @ v, (a, b)) after
    // create_graph=True): H = [[18, 22], [22, 8]], so H (1, -1) = (-4, 14) and g · v = 30 - 20.
    CompiledModel m = Gradc.compile("""
        model Cross {
          target y
          param a = 2
          param b = 3
          loss (a * b - y) ^ 2
        }
        """);
    double[] hv = new double[2];
    double gv = m.hessianVectorProduct(new double[] {2, 3}, new double[] {1, -1}, new double[0],
        new double[] {1}, 1, hv);
    assertArrayEquals(new double[] {-4, 14}, hv, 1e-12);
    assertEquals(10, gv, 1e-12);
  }

  @Test
  void batchMeanOfACubicByHand() {
    // loss = sum(x ⊙ w³) per example: H = diag(6 x̄ ⊙ w), x̄ the batch mean of x.
    // x = [1, 2] and [3, -2], so x̄ = [2, 0]; at w = [1, -1], H = diag(12, 0).
    CompiledModel m = Gradc.compile("""
        model Cubic {
          input x[2]
          param w[2] = 1
          loss sum(x * w * w * w)
        }
        """);
    double[] hv = new double[2];
    m.hessianVectorProduct(new double[] {1, -1}, new double[] {0.5, 7}, new double[] {1, 2, 3, -2},
        new double[0], 2, hv);
    assertArrayEquals(new double[] {6, 0}, hv, 1e-12);
  }

  @Test
  void softmaxCrossEntropyCurvatureByHand() {
    // cross_entropy(z, y) with z = w (one example): H = diag(p) - p pᵀ, p = softmax(w).
    // At w = 0 over 2 classes, p = (½, ½): H = [[¼, -¼], [-¼, ¼]], H (1, 0) = (¼, -¼).
    CompiledModel m = Gradc.compile("""
        model Soft {
          input x[2]
          target y[2]
          param w[2] = 0
          loss cross_entropy(w + 0 * x, y)
        }
        """);
    double[] hv = new double[2];
    m.hessianVectorProduct(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 0},
        new double[] {1, 0}, 1, hv);
    assertArrayEquals(new double[] {0.25, -0.25}, hv, 1e-15);
  }

  @Test
  void theMlpProductStaysWithinTheMethodBound() throws Exception {
    Model mlp = Gradc.load(Gradc.read(Path.of("examples/mlp.grad"))).models().get(0);
    Model.JavaSource java = mlp.hessianVectorProductJava("p");
    assertTrue(java.source().contains("// grad of mlp.grad:"), "provenance comments");
    LargeModelTest.assertMethodsSmall(Map.of("p." + java.className(), java.source()));
  }
}
