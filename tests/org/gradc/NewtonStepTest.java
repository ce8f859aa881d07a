package org.gradc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gradc.runtime.CompiledModel;
import org.junit.jupiter.api.Test;

/** README's Newton step: conjugate gradients on Hessian-vector products solve a quadratic at once. */
class NewtonStepTest {
  /** θ − H⁻¹ g, H⁻¹ g by conjugate gradients with one Hessian-vector product per iteration. */
  static double[] newtonStep(CompiledModel m, double[] theta, double[] x, double[] y, int batch) {
    int n = m.parameterCount();
    double[] g = new double[n];
    m.lossAndGradient(theta, x, y, batch, g);
    double[] step = new double[n];   // solves H step = g
    double[] r = g.clone();          // residual g − H step
    double[] p = g.clone();          // search direction
    double[] hp = new double[n];
    double rr = dot(r, r);
    for (int it = 0; it < n && rr > 1e-30; it++) {
      m.hessianVectorProduct(theta, p, x, y, batch, hp);
      double alpha = rr / dot(p, hp);
      for (int i = 0; i < n; i++) {
        step[i] += alpha * p[i];
        r[i] -= alpha * hp[i];
      }
      double next = dot(r, r);
      for (int i = 0; i < n; i++) {
        p[i] = r[i] + next / rr * p[i];
      }
      rr = next;
    }
    double[] out = theta.clone();
    for (int i = 0; i < n; i++) {
      out[i] -= step[i];
    }
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void readmeShowsThisNewtonStep() throws IOException {
    String test = Files.readString(Path.of("tests/org/gradc/NewtonStepTest.java"));
    int start = test.indexOf("  static double[] newtonStep(");
    int end = test.indexOf("\n  }\n", start) + 5;
    String method = test.substring(start, end).replaceAll("(?m)^  ", "");
    assertTrue(Files.readString(Path.of("README.md")).contains("```java\n" + method + "```"),
        "README's Newton step must be this test's newtonStep");
  }

  @Test
  void oneNewtonStepSolvesLeastSquares() {
    CompiledModel m = Gradc.compile("""
        model Fit {
          input  x[3]
          target y
          param  w[3] = 0
          param  b = 0
          loss   (dot(w, x) + b - y) ^ 2
        }
        """);
    Random rnd = new Random(3);
    int batch = 20;
    double[] x = new double[batch * 3];
    double[] y = new double[batch];
    for (int e = 0; e < batch; e++) {
      for (int k = 0; k < 3; k++) {
        x[e * 3 + k] = rnd.nextGaussian();
      }
      y[e] = 1.5 * x[e * 3] - 2 * x[e * 3 + 1] + 0.25 * x[e * 3 + 2] + 0.5 + 0.1 * rnd.nextGaussian();
    }
    double[] theta = newtonStep(m, m.initialParameters(0), x, y, batch);
    double[] g = new double[4];
    double before = m.lossAndGradient(m.initialParameters(0), x, y, batch, new double[4]);
    double after = m.lossAndGradient(theta, x, y, batch, g);
    assertTrue(after < before / 10, before + " -> " + after);
    // a quadratic loss is minimised by one exact Newton step: the gradient vanishes
    assertEquals(0, Math.sqrt(dot(g, g)), 1e-10);
    assertEquals(1.5, theta[0], 0.1);
    assertEquals(-2, theta[1], 0.1);
  }
}
