package org.gradc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gradc.Gradc;
import org.junit.jupiter.api.Test;

class InitializersTest {
  static final String MODEL = "model I {\n  input x[20]\n"
      + "  param a[20, 30] = xavier\n  param b[30, 40] = he\n  param c[40] = ones\n"
      + "  param d[40] = 0.25\n  param e[40] = uniform(2, 3)\n  param f[40] = normal(5, 0.5)\n"
      + "  param g[2] = [7, 8]\n  param z[3]\n"
      + "  loss sum(tanh(x @ a @ b) * c * d * e * f) + sum(g) + sum(z)\n}\n";

  @Test
  void everyInitializerWithItsRange() {
    CompiledModel m = Gradc.compile(MODEL);
    double[] t = m.initialParameters(42);
    assertArrayEquals(t, m.initialParameters(42), "same seed, same values");
    double limit = Math.sqrt(6.0 / (20 + 30));
    double sumSq = 0;
    for (int i = 0; i < 600; i++) {
      assertTrue(Math.abs(t[i]) <= limit);
    }
    for (int i = 600; i < 600 + 1200; i++) {
      sumSq += t[i] * t[i];
    }
    assertEquals(Math.sqrt(2.0 / 30), Math.sqrt(sumSq / 1200), 0.01, "he: std sqrt(2 / fan_in)");
    int o = 1800;
    for (int i = 0; i < 40; i++) {
      assertEquals(1.0, t[o + i]);
      assertEquals(0.25, t[o + 40 + i]);
      assertTrue(t[o + 80 + i] >= 2 && t[o + 80 + i] < 3);
      assertTrue(Math.abs(t[o + 120 + i] - 5) < 3);
    }
    assertEquals(7.0, t[o + 160]);
    assertEquals(8.0, t[o + 161]);
    assertEquals(0.0, t[o + 162]);
    assertEquals(t.length, o + 165);
  }
}
