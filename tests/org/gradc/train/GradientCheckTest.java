package org.gradc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The finite-difference checker on functions whose gradients are known. */
class GradientCheckTest {
  static final GradientCheck.Loss CUBIC = th -> th[0] * th[0] * th[0] + Math.sin(th[1]);

  @Test
  void aRightGradientPassesAndThetaIsRestored() {
    double[] theta = {1.5, -0.7};
    double[] grad = {3 * 1.5 * 1.5, Math.cos(-0.7)};
    for (int i = 0; i < 2; i++) {
      GradientCheck.Element e = GradientCheck.check(CUBIC, theta, grad, i);
      assertTrue(e.error() < 1e-9, e.toString());
      assertEquals(i, e.index());
    }
    assertArrayEquals(new double[] {1.5, -0.7}, theta, 0);
  }

  @Test
  void aWrongGradientIsReportedWithBothValues() {
    double[] theta = {2, 0};
    GradientCheck.Element e = GradientCheck.check(CUBIC, theta, new double[] {11, 1}, 0);
    assertEquals(12, e.numeric(), 1e-8);
    assertEquals(11, e.analytic(), 0);
    assertEquals(1.0 / 12, e.error(), 1e-9);
    assertEquals(GradientCheck.step(2), 2 * Math.cbrt(Math.ulp(1.0)), 0);
    assertTrue(Double.isNaN(GradientCheck.error(Double.NaN, 1)));
  }
}
