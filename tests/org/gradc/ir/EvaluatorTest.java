package org.gradc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gradc.diff.Differentiator;
import org.gradc.diff.Gradients;
import org.junit.jupiter.api.Test;

/** The reference evaluator against hand-computed values and SPEC 5. */
class EvaluatorTest {
  final GraphBuilder g = new GraphBuilder();

  static Node call(GraphBuilder g, String fn, Node... args) {
    return Builtins.lookup(fn).orElseThrow().apply(g, List.of(args));
  }

  @Test
  void batchedBroadcastingAndMatmul() {
    Node x = g.input("x", Shape.of(2));
    Node w = g.param("W", Shape.of(2, 3));
    Node b = g.param("b", Shape.of(3));
    Node z = g.add(g.matmul(x, w), b);
    Map<String, double[]> v = Map.of(
        "x", new double[] {1, 2, 3, 4},
        "W", new double[] {1, 0, -1, 0, 1, 2},
        "b", new double[] {0.5, 0.5, 0.5});
    Evaluator ev = new Evaluator(2, v);
    assertArrayEquals(new double[] {1.5, 2.5, 3.5, 3.5, 4.5, 5.5}, ev.value(z), 0);
    assertArrayEquals(new double[] {2.5, 3.5, 4.5}, ev.value(g.batchMean(z)), 1e-15);
    assertArrayEquals(new double[] {5, 7, 9}, ev.value(g.batchSum(z)), 1e-15);
    Node m = g.param("M", Shape.of(2, 3));
    Evaluator ev2 = new Evaluator(1, Map.of("M", new double[] {1, 2, 3, 4, 5, 6},
        "b", new double[] {10, 20, 30}));
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, ev2.value(g.transpose(m)), 0);
    assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, ev2.value(g.add(b, m)), 0);
    assertArrayEquals(new double[] {5, 7, 9}, ev2.value(g.sumRows(m)), 0);
    assertArrayEquals(new double[] {4, 5, 6}, ev2.value(g.index(m, 1)), 0);
    assertArrayEquals(new double[] {0, 0, 0, 10, 20, 30},
        ev2.value(g.place(b, 1, Shape.of(2, 3))), 0);
    assertArrayEquals(new double[] {6, 15}, ev2.value(g.sumLast(m)), 0);
    assertArrayEquals(new double[] {14, 32},
        ev2.value(g.matmul(m, g.constant("c", Shape.of(3), new double[] {1, 2, 3}))), 0);
    assertEquals(21, new Evaluator(1, Map.of("M", new double[] {1, 2, 3, 4, 5, 6}))
        .value(g.sum(m))[0]);
    assertEquals(7, new Evaluator(7, Map.of()).scalar(g.batchSize()));
  }

  @Test
  void spec5SingleSigmoidNeuron() {
    Node x = g.input("x", Shape.SCALAR);
    Node w = g.param("w", Shape.SCALAR);
    Node b = g.param("b", Shape.SCALAR);
    Node y = g.target("y", Shape.SCALAR);
    Node yhat = g.sigmoid(g.add(g.mul(w, x), b));
    Node loss = g.mul(g.number(0.5), g.pow(g.sub(y, yhat), g.number(2)));
    Gradients gr = Differentiator.differentiate(g.freeze(), loss, List.of(w, b));
    Evaluator ev = new Evaluator(1, Map.of("x", new double[] {0.5}, "w", new double[] {1.2},
        "b", new double[] {-0.8}, "y", new double[] {0}));
    assertEquals(0.450166, ev.value(yhat)[0], 5e-7);
    assertEquals(0.0557118, ev.scalar(gr.gradient(w)), 5e-8);
    assertEquals(0.111424, ev.scalar(gr.gradient(b)), 5e-7);
  }

  @Test
  void spec5LinearNeuron() {
    Node x = g.input("x", Shape.SCALAR);
    Node w = g.param("w", Shape.SCALAR);
    Node y = g.target("y", Shape.SCALAR);
    Node loss = g.pow(g.sub(y, g.mul(w, x)), g.number(2));
    Gradients gr = Differentiator.differentiate(g.freeze(), loss, List.of(w));
    Evaluator ev = new Evaluator(1, Map.of("x", new double[] {2}, "w", new double[] {0.5},
        "y", new double[] {4}));
    assertEquals(9, ev.scalar(gr.objective()), 1e-15);
    double dw = ev.scalar(gr.gradient(w));
    assertEquals(-12, dw, 1e-15);
    assertEquals(1.7, 0.5 - 0.1 * dw, 1e-15);
  }

  @Test
  void spec5TwoLayerNetwork() {
    Node x = g.input("x", Shape.SCALAR);
    Node w1 = g.param("W1", Shape.of(2));
    Node b1 = g.param("b1", Shape.of(2));
    Node w2 = g.param("W2", Shape.of(2));
    Node b2 = g.param("b2", Shape.SCALAR);
    Node y = g.target("y", Shape.SCALAR);
    Node h = g.sigmoid(g.add(g.mul(x, w1), b1));
    Node z2 = g.add(call(g, "dot", h, w2), b2);
    Node yhat = g.sigmoid(z2);
    Node loss = g.mul(g.number(0.5), g.pow(g.sub(y, yhat), g.number(2)));
    Gradients gr = Differentiator.differentiate(g.freeze(), loss, List.of(w1, b1, w2, b2));
    Evaluator ev = new Evaluator(1, Map.of("x", new double[] {2},
        "W1", new double[] {0.5, -0.3}, "b1", new double[] {0.1, -0.2},
        "W2", new double[] {0.8, -0.4}, "b2", new double[] {0.3}, "y", new double[] {1}));
    assertArrayEquals(new double[] {0.750, 0.310}, ev.value(h), 5e-4);
    assertEquals(0.6848601, ev.value(yhat)[0], 5e-8);
    assertEquals(0.050, ev.scalar(gr.objective()), 5e-4);
    assertEquals(-0.068, ev.value(gr.adjoints().get(z2))[0], 5e-4);
    assertArrayEquals(new double[] {-0.051, -0.021}, ev.value(gr.gradient(w2)), 5e-4);
    assertEquals(-0.068, ev.scalar(gr.gradient(b2)), 5e-4);
    assertArrayEquals(new double[] {-0.0203905, 0.0116394}, ev.value(gr.gradient(w1)), 5e-8);
    assertArrayEquals(new double[] {-0.010, 0.006}, ev.value(gr.gradient(b1)), 5e-4);
  }

  @Test
  void stableAtLargeMagnitudes() {
    Node v = g.param("v", Shape.of(3));
    Evaluator ev = new Evaluator(1, Map.of("v", new double[] {1000, 999, -1000},
        "y", new double[] {0, 1, 0}, "z", new double[] {-800, 800, 50}));
    double[] p = ev.value(call(g, "softmax", v));
    double e1 = Math.exp(-1);
    assertArrayEquals(new double[] {1 / (1 + e1), e1 / (1 + e1), 0}, p, 1e-15);
    double[] lp = ev.value(call(g, "log_softmax", v));
    double lse = Math.log1p(e1);
    assertArrayEquals(new double[] {-lse, -1 - lse, -2000 - lse}, lp, 1e-12);
    assertEquals(1000 + lse, ev.value(call(g, "logsumexp", v))[0], 1e-12);
    Node y = g.target("y", Shape.of(3));
    assertEquals(1 + lse, ev.value(call(g, "cross_entropy", v, y))[0], 1e-12);
    Node z = g.param("z", Shape.of(3));
    double[] sp = ev.value(call(g, "softplus", z));
    assertArrayEquals(new double[] {0, 800, 50}, sp, 1e-15);
    double[] s = ev.value(call(g, "sigmoid", z));
    assertArrayEquals(new double[] {0, 1, 1}, s, 1e-15);
    assertTrue(s[0] > 0 || s[0] == 0);
    // bce_logits(z, y) = mean(softplus(z) - z * y): (0 + 0 + 50) / 3 with y = [0, 1, 0]
    assertEquals(50.0 / 3, ev.value(call(g, "bce_logits", z, y))[0], 1e-12);
    Node big = g.param("v", Shape.of(3));
    assertEquals(Math.exp(-50), new Evaluator(1, Map.of("v", new double[] {-50, 0, 0}))
        .value(call(g, "sigmoid", big))[0], 1e-30);
    assertEquals(Math.exp(-60), new Evaluator(1, Map.of("v", new double[] {-60, 0, 0}))
        .value(call(g, "softplus", big))[0], 1e-40);
  }

  @Test
  void rowWiseSoftmaxOnMatrix() {
    Node m = g.param("M", Shape.of(2, 2));
    double[] p = new Evaluator(1, Map.of("M", new double[] {0, 0, 300, 300 + Math.log(3)}))
        .value(call(g, "softmax", m));
    assertArrayEquals(new double[] {0.5, 0.5, 0.25, 0.75}, p, 1e-12);
  }

  @Test
  void builtinValues() {
    Node v = g.param("v", Shape.of(3));
    Node u = g.param("u", Shape.of(3));
    Evaluator ev = new Evaluator(1, Map.of("v", new double[] {3, -4, 0},
        "u", new double[] {1, 2, 0.5}));
    assertEquals(5, ev.value(call(g, "norm", v))[0], 1e-15);
    assertEquals(-5, ev.value(call(g, "dot", v, u))[0], 1e-15);
    assertEquals(-1.0 / 3, ev.value(call(g, "mean", v))[0], 1e-15);
    assertArrayEquals(new double[] {3, -0.4, 0},
        ev.value(call(g, "leaky_relu", v, g.number(0.1))), 1e-15);
    assertArrayEquals(new double[] {3, 0.5 * Math.expm1(-4), 0},
        ev.value(call(g, "elu", v, g.number(0.5))), 1e-15);
    assertArrayEquals(new double[] {3, 2, 0.5}, ev.value(call(g, "max", v, u)), 0);
    assertArrayEquals(new double[] {1, -4, 0}, ev.value(call(g, "min", v, u)), 0);
    assertArrayEquals(new double[] {9, 16, 0}, ev.value(call(g, "square", v)), 0);
    assertEquals((4 + 36 + 0.25) / 3, ev.value(call(g, "mse", v, u))[0], 1e-14);
  }
}
