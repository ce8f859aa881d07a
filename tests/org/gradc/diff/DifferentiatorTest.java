package org.gradc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gradc.diff.GradCheck.Domain;
import org.gradc.ir.Fn;
import org.gradc.ir.Builtins;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DifferentiatorTest {
  static final int B = 3;

  /** A test model: a per-example or unbatched scalar loss and the params to check. */
  record Model(Node loss, List<Node> params) {}

  record Case(String name, Domain domain, Function<GraphBuilder, Model> build) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Node call(GraphBuilder g, String fn, Node... args) {
    return Builtins.lookup(fn).orElseThrow().apply(g, List.of(args));
  }

  /** sum(out * R) with a fixed random constant R: a scalar that depends on every element. */
  static Node project(GraphBuilder g, Node out) {
    Random rnd = new Random(out.shape().hashCode());
    double[] r = new double[out.shape().size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = rnd.nextDouble() * 2 - 1;
    }
    return g.sum(g.mul(out, g.constant("R" + out.shape(), out.shape(), r)));
  }

  static Model projected(GraphBuilder g, Node out, Node... params) {
    return new Model(project(g, out), List.of(params));
  }

  static final List<Case> CASES = new ArrayList<>();

  static void add(String name, Domain d, Function<GraphBuilder, Model> build) {
    CASES.add(new Case(name, d, build));
  }

  static final String[] UNARY = {
    "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "gelu",
    "square"
  };

  static {
    for (String fn : UNARY) {
      Domain d = fn.equals("log") || fn.equals("sqrt") ? Domain.POSITIVE : Domain.ANY;
      // batched vector: f(x * w)
      add(fn + " [3] batched", d, g -> {
        Node w = g.param("w", Shape.of(3));
        return projected(g, call(g, fn, g.mul(g.input("x", Shape.of(3)), w)), w);
      });
      // unbatched matrix with row and scalar broadcasting: f(W + v * s)
      add(fn + " [2, 3] broadcast", d, g -> {
        Node w = g.param("W", Shape.of(2, 3));
        Node v = g.param("v", Shape.of(3));
        Node s = g.param("s", Shape.SCALAR);
        return projected(g, call(g, fn, g.add(w, g.mul(v, s))), w, v, s);
      });
    }
    // finite differences see through stop_gradient, so it guards a value without parameters
    // here; StopGradientTest checks that the derivative through it is zero
    add("stop_gradient [3] of an input", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      Node x = g.input("x", Shape.of(3));
      return projected(g, g.mul(w, call(g, "stop_gradient", g.mul(x, x))), w);
    });
    for (Fn op : List.of(Fn.ADD, Fn.SUB, Fn.MUL, Fn.DIV, Fn.MAX, Fn.MIN)) {
      Domain d = op == Fn.DIV ? Domain.POSITIVE : Domain.ANY;
      add(op + " [3] batched x param", d, g -> {
        Node w = g.param("w", Shape.of(3));
        Node x = g.input("x", Shape.of(3));
        return projected(g, g.binary(op, x, w), w);
      });
      add(op + " [2, 3] with [3] and scalar broadcast", d, g -> {
        Node w = g.param("W", Shape.of(2, 3));
        Node v = g.param("v", Shape.of(3));
        Node s = g.param("s", Shape.SCALAR);
        Node x = g.input("x", Shape.of(2, 3));
        return projected(g, g.binary(op, g.binary(op, v, g.mul(w, x)), s), w, v, s);
      });
    }
    add("pow [3] param exponent", Domain.POSITIVE, g -> {
      Node w = g.param("w", Shape.of(3));
      Node s = g.param("s", Shape.SCALAR);
      return projected(g, g.pow(g.mul(g.input("x", Shape.of(3)), w), s), w, s);
    });
    add("pow [3] vector param exponent", Domain.POSITIVE, g -> {
      Node w = g.param("w", Shape.of(3));
      Node e = g.param("e", Shape.of(3));
      return projected(g, g.pow(g.mul(g.input("x", Shape.of(3)), w), e), w, e);
    });
    add("pow 2 ^ (w * x) vector exponent", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      return projected(g, g.pow(g.number(2), g.mul(w, g.input("x", Shape.of(3)))), w);
    });
    add("pow [2, 3] base, [3] exponent and scalar base, [2, 3] exponent", Domain.POSITIVE, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      Node v = g.param("v", Shape.of(3));
      Node s = g.param("s", Shape.SCALAR);
      Node x = g.input("x", Shape.of(2, 3));
      return projected(g, g.add(g.pow(g.mul(w, x), v), g.pow(s, g.mul(w, x))), w, v, s);
    });
    add("pow [2, 3] constant exponent", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      return projected(g, g.pow(w, g.number(3)), w);
    });
    add("neg [3] batched", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      return projected(g, g.neg(g.mul(g.input("x", Shape.of(3)), w)), w);
    });
    add("neg [2, 3]", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      return projected(g, g.neg(w), w);
    });
    add("matmul [3] @ [3, 2] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(3, 2));
      return projected(g, g.matmul(g.input("x", Shape.of(3)), w), w);
    });
    add("matmul [2, 3] @ [3] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      return projected(g, g.matmul(w, g.input("x", Shape.of(3))), w);
    });
    add("matmul [2, 3] @ [3, 4] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(3, 4));
      Node x = g.input("x", Shape.of(2, 3));
      return projected(g, g.matmul(x, w), w);
    });
    add("matmul [2, 3] @ [3, 4] params", Domain.ANY, g -> {
      Node a = g.param("A", Shape.of(2, 3));
      Node b = g.param("Bm", Shape.of(3, 4));
      return projected(g, g.matmul(a, b), a, b);
    });
    add("matmul [3] @ [3] param vectors chain", Domain.ANY, g -> {
      Node u = g.param("u", Shape.of(3));
      Node w = g.param("W", Shape.of(3, 3));
      return projected(g, g.matmul(g.matmul(u, w), g.mul(w, g.input("x", Shape.of(3)))), u, w);
    });
    add("transpose [2, 3] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      return projected(g, g.transpose(g.mul(w, g.input("x", Shape.of(2, 3)))), w);
    });
    add("transpose [3, 2] param", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(3, 2));
      return projected(g, g.matmul(g.transpose(w), w), w);
    });
    add("index vector batched", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      return projected(g, g.index(g.mul(w, g.input("x", Shape.of(3))), 1), w);
    });
    add("index matrix row", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      return projected(g, g.index(w, 1), w);
    });
    for (String fn : List.of("leaky_relu", "elu")) {
      add(fn + " [3] batched", Domain.ANY, g -> {
        Node w = g.param("w", Shape.of(3));
        Node alpha = g.param("alpha", Shape.SCALAR);
        return projected(g, call(g, fn, g.mul(w, g.input("x", Shape.of(3))), alpha), w, alpha);
      });
      add(fn + " [2, 3] constant alpha", Domain.ANY, g -> {
        Node w = g.param("W", Shape.of(2, 3));
        return projected(g, call(g, fn, w, g.number(0.1)), w);
      });
    }
    for (String fn : List.of("max", "min")) {
      add(fn + " builtin [3] batched", Domain.ANY, g -> {
        Node w = g.param("w", Shape.of(3));
        return projected(g, call(g, fn, w, g.input("x", Shape.of(3))), w);
      });
      add(fn + " builtin [2, 3] and scalar", Domain.ANY, g -> {
        Node w = g.param("W", Shape.of(2, 3));
        Node s = g.param("s", Shape.SCALAR);
        return projected(g, call(g, fn, s, w), w, s);
      });
    }
    for (String fn : List.of("sum", "mean", "norm")) {
      add(fn + " [3] batched", Domain.ANY, g -> {
        Node w = g.param("w", Shape.of(3));
        Node out = call(g, fn, g.mul(w, g.input("x", Shape.of(3))));
        return new Model(g.mul(out, out), List.of(w));
      });
      add(fn + " [2, 3] param", Domain.ANY, g -> {
        Node w = g.param("W", Shape.of(2, 3));
        Node out = call(g, fn, w);
        return new Model(g.mul(out, g.sin(out)), List.of(w));
      });
    }
    add("dot [3] batched", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      Node out = call(g, "dot", w, g.input("x", Shape.of(3)));
      return new Model(g.mul(out, out), List.of(w));
    });
    add("dot [4] params", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(4));
      Node v = g.param("v", Shape.of(4));
      return new Model(g.exp(call(g, "dot", w, v)), List.of(w, v));
    });
    for (String fn : List.of("softmax", "log_softmax", "logsumexp")) {
      add(fn + " [4] batched", Domain.ANY, g -> {
        Node w = g.param("W", Shape.of(3, 4));
        return projected(g, call(g, fn, g.matmul(g.input("x", Shape.of(3)), w)), w);
      });
      add(fn + " [2, 4] row-wise", Domain.ANY, g -> {
        Node w = g.param("W", Shape.of(2, 4));
        Node v = g.param("v", Shape.of(4));
        return projected(g, call(g, fn, g.add(g.mul(w, g.number(3)), v)), w, v);
      });
    }
    add("mse [3] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      Node yhat = g.matmul(g.input("x", Shape.of(2)), w);
      return new Model(call(g, "mse", yhat, g.target("y", Shape.of(3))), List.of(w));
    });
    add("mse [2, 2] params", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 2));
      Node v = g.param("V", Shape.of(2, 2));
      return new Model(call(g, "mse", w, v), List.of(w, v));
    });
    add("bce [3] batched", Domain.UNIT, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      Node p = g.sigmoid(g.matmul(g.input("x", Shape.of(2)), w));
      return new Model(call(g, "bce", p, g.target("y", Shape.of(3))), List.of(w));
    });
    add("bce [2] param probabilities", Domain.UNIT, g -> {
      Node p = g.param("p", Shape.of(2));
      return new Model(call(g, "bce", p, g.target("y", Shape.of(2))), List.of(p));
    });
    add("bce_logits [3] batched", Domain.ANY, g -> {
      Node w = g.param("W", Shape.of(2, 3));
      Node z = g.matmul(g.input("x", Shape.of(2)), w);
      return new Model(call(g, "bce_logits", z, g.target("y", Shape.of(3))), List.of(w));
    });
    add("bce_logits [2, 2] param", Domain.UNIT, g -> {
      Node z = g.param("Z", Shape.of(2, 2));
      return new Model(call(g, "bce_logits", z, g.target("y", Shape.of(2, 2))), List.of(z));
    });
    add("cross_entropy [4] batched", Domain.UNIT, g -> {
      Node w = g.param("W", Shape.of(3, 4));
      Node b = g.param("b", Shape.of(4));
      Node z = g.add(g.matmul(g.input("x", Shape.of(3)), w), b);
      return new Model(call(g, "cross_entropy", z, g.target("y", Shape.of(4))), List.of(w, b));
    });
    add("cross_entropy [2, 3] row-wise", Domain.ANY, g -> {
      Node z = g.param("Z", Shape.of(2, 3));
      return new Model(call(g, "cross_entropy", z, g.target("y", Shape.of(2, 3))), List.of(z));
    });
    add("unbatched loss of params only", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      return new Model(g.sum(g.mul(w, g.tanh(w))), List.of(w));
    });
    add("batched loss with an unbatched term", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      Node data = g.sum(g.mul(w, g.input("x", Shape.of(3))));
      return new Model(g.add(g.mul(data, data), g.sum(g.mul(w, w))), List.of(w));
    });
    add("im2col and col2im, stride 2 and padding 1, of a batched image", Domain.ANY, g -> {
      org.gradc.ir.Window w = new org.gradc.ir.Window(2, 5, 4, 3, 2, 1);
      Node x = g.param("X", w.image());
      Node c = g.param("C", w.columns());
      Node image = g.tanh(g.mul(x, g.input("u", w.image())));
      return new Model(g.add(project(g, g.im2col(image, w)),
          project(g, g.col2im(g.mul(c, g.input("v", w.columns())), w))), List.of(x, c));
    });
    add("max and average pooling and their adjoints, reshaped", Domain.ANY, g -> {
      org.gradc.ir.Window w = new org.gradc.ir.Window(2, 4, 5, 2, 1, 0);
      Node x = g.param("X", w.image());
      Node h = g.param("H", w.pooled());
      Node image = g.mul(x, g.input("u", w.image()));
      Node pooled = g.mul(h, g.input("v", w.pooled()));
      Node all = g.add(g.add(g.maxPool(image, image, w), g.avgPool(image, w)),
          g.maxPool(image, g.sin(image), w));
      Node back = g.add(g.maxUnpool(image, pooled, w), g.avgUnpool(pooled, w));
      return new Model(g.add(project(g, g.reshape(all, Shape.of(all.shape().size()))),
          project(g, back)), List.of(x, h));
    });
    add("fan-out and shared subexpressions", Domain.ANY, g -> {
      Node w = g.param("w", Shape.of(3));
      Node h = g.tanh(g.mul(w, g.input("x", Shape.of(3))));
      return projected(g, g.mul(g.add(h, g.sigmoid(h)), h), w);
    });
  }

  static Stream<Arguments> cases() {
    return CASES.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(Case c) {
    GraphBuilder g = new GraphBuilder();
    Model m = c.build().apply(g);
    Gradients grads = Differentiator.differentiate(g.freeze(), m.loss(), m.params());
    for (Node p : m.params()) {
      Node gp = grads.gradient(p);
      assertEquals(p.shape(), gp.shape());
      assertFalse(gp.batched());
    }
    Random rnd = new Random(c.name().hashCode());
    for (int trial = 0; trial < 3; trial++) {
      Map<String, double[]> values = GradCheck.randomLeaves(List.of(m.loss()), B, c.domain(), rnd);
      List<String> failures = GradCheck.check(grads, m.params(), B, values, 1e-6);
      assertTrue(failures.isEmpty(), c.name() + ":\n" + String.join("\n", failures));
    }
  }

  @Test
  void everyBuiltinIsCovered() {
    Set<String> covered = new HashSet<>();
    for (Case c : CASES) {
      covered.add(c.name().split(" ")[0]);
    }
    for (String name : Builtins.names()) {
      assertTrue(covered.contains(name), "no gradient case for builtin " + name);
    }
  }

  @Test
  void noGradientsForInputsTargetsOrUnrelatedNodes() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(2));
    Node w = g.param("w", Shape.of(2));
    Node unused = g.param("u", Shape.of(2));
    Node loss = call(g, "mse", g.mul(x, w), g.target("y", Shape.of(2)));
    Gradients gr = Differentiator.differentiate(g.freeze(), loss, List.of(w, unused));
    assertFalse(gr.adjoints().containsKey(x));
    assertFalse(gr.adjoints().containsKey(g.target("y", Shape.of(2))));
    double[] zero = new Evaluator(1, Map.of()).value(gr.gradient(unused));
    assertEquals(2, zero.length);
    assertEquals(0.0, zero[0]);
    assertEquals(Op.BATCH_MEAN, gr.objective().op());
  }

  @Test
  void parameterGradientOfBatchedMatmulIsExplicitBatchSumOverB() {
    GraphBuilder g = new GraphBuilder();
    Node x = g.input("x", Shape.of(3));
    Node w = g.param("W", Shape.of(3, 2));
    Node loss = g.sum(g.matmul(x, w));
    Node grad = Differentiator.differentiate(g.freeze(), loss, List.of(w)).gradient(w);
    assertTrue(grad.is(Fn.DIV), grad.toString());
    assertEquals(Op.BATCH_SIZE, grad.input(1).op());
    assertEquals(Op.BATCH_SUM, grad.input(0).op());
    assertEquals(Op.OUTER, grad.input(0).input(0).op());
  }

  @Test
  void coversEveryDifferentiableOp() {
    Set<Op> seen = EnumSet.noneOf(Op.class);
    Set<Fn> seenFns = EnumSet.noneOf(Fn.class);
    for (Case c : CASES) {
      GraphBuilder g = new GraphBuilder();
      Model m = c.build().apply(g);
      for (Node n : Graph.topological(List.of(m.loss()))) {
        seen.add(n.op());
        if (n.op().isElementwise()) {
          seenFns.add(n.fn());
        }
      }
    }
    for (Op op : Op.values()) {
      // CUSTOM only comes from a def's grad clause: codegen/CustomRuleTest checks it
      boolean internal = EnumSet.of(Op.PLACE, Op.BROADCAST, Op.SUM_ROWS, Op.OUTER, Op.BATCH_SUM,
          Op.BATCH_MEAN, Op.BATCH_SIZE, Op.CUSTOM).contains(op);
      assertTrue(internal || seen.contains(op), "no gradient case uses " + op);
    }
    for (Fn f : Fn.values()) {
      boolean internal = EnumSet.of(Fn.GREATER_EQ, Fn.STEP, Fn.SIGN).contains(f);
      assertTrue(internal || seenFns.contains(f), "no gradient case uses " + f);
    }
  }
}
