package org.gradc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.gradc.diff.Differentiator;
import org.gradc.diff.GradCheck;
import org.gradc.diff.GradCheck.Domain;
import org.gradc.diff.Gradients;
import org.gradc.ir.Builtins;
import org.gradc.ir.CustomRule;
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

class SimplifierTest {
  static Node call(GraphBuilder g, String fn, Node... args) {
    return Builtins.lookup(fn).orElseThrow().apply(g, List.of(args));
  }

  /** A rule test: a graph where the rule must fire, and one where it must not. */
  record RuleCase(String rule, Function<GraphBuilder, Node> fires, Function<GraphBuilder, Node> doesNot) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Node x(GraphBuilder g) {
    return g.input("x", Shape.of(3));
  }

  static Node w(GraphBuilder g) {
    return g.param("w", Shape.of(3));
  }

  /** A derivative rule for x * x (its value is all the simplifier keeps). */
  static final CustomRule SQUARE = new CustomRule() {
    @Override
    public String name() {
      return "square";
    }

    @Override
    public Node forward(GraphBuilder g, List<Node> args) {
      return g.mul(args.get(0), args.get(0));
    }

    @Override
    public List<Node> vjp(GraphBuilder g, List<Node> args, Node result, Node cotangent) {
      return List.of(g.mul(g.number(2), g.mul(cotangent, args.get(0))));
    }
  };

  static final List<RuleCase> RULES = List.of(
      // the marker goes once differentiated; the body's own x * x stays
      new RuleCase("custom-rule-used", g -> g.custom(g.mul(x(g), x(g)), List.of(x(g)), SQUARE),
          g -> g.mul(x(g), x(g))),
      new RuleCase("fold-constants", g -> g.mul(g.number(2), g.add(g.number(3), g.number(4))),
          g -> g.mul(g.number(2), x(g))),
      new RuleCase("mul-one", g -> g.mul(x(g), g.number(1)), g -> g.mul(x(g), g.number(1.5))),
      new RuleCase("div-one", g -> g.div(x(g), g.number(1)), g -> g.div(g.number(1), x(g))),
      new RuleCase("add-zero", g -> g.add(g.number(0), x(g)), g -> g.add(g.number(1e-300), x(g))),
      new RuleCase("zero-sub", g -> g.sub(g.number(0), x(g)), g -> g.sub(x(g), w(g))),
      new RuleCase("mul-zero", g -> g.mul(x(g), g.number(0)), g -> g.div(x(g), g.number(0))),
      new RuleCase("neg-neg", g -> g.neg(g.neg(x(g))), g -> g.neg(g.exp(g.neg(x(g))))),
      new RuleCase("mul-minus-one", g -> g.mul(g.number(-1), x(g)),
          g -> g.mul(g.number(-2), x(g))),
      new RuleCase("add-neg", g -> g.add(x(g), g.neg(w(g))), g -> g.add(x(g), w(g))),
      new RuleCase("pull-neg", g -> g.mul(g.neg(x(g)), w(g)), g -> g.add(g.neg(x(g)), w(g))),
      new RuleCase("linear-neg", g -> g.sum(g.neg(x(g))), g -> g.exp(g.neg(x(g)))),
      new RuleCase("collect-numbers", g -> g.mul(g.number(2), g.mul(g.number(3), x(g))),
          g -> g.mul(g.number(2), g.mul(w(g), x(g)))),
      new RuleCase("number-first", g -> g.mul(x(g), g.number(3)), g -> g.mul(x(g), w(g))),
      new RuleCase("factor", g -> g.add(g.mul(w(g), x(g)), g.mul(w(g), g.exp(x(g)))),
          g -> g.add(g.mul(x(g), w(g)), g.mul(w(g), g.exp(x(g))))),
      new RuleCase("drop-broadcast",
          g -> g.mul(g.broadcast(g.param("s", Shape.SCALAR), Shape.of(3)), x(g)),
          g -> g.broadcast(g.param("s", Shape.SCALAR), Shape.of(3))),
      new RuleCase("sum-scalar", g -> g.sum(g.param("s", Shape.SCALAR)), g -> g.sum(x(g))),
      new RuleCase("sum-broadcast",
          g -> g.sum(g.broadcast(g.param("s", Shape.SCALAR), Shape.of(2, 3))),
          g -> g.sum(g.add(g.param("s", Shape.SCALAR), x(g)))),
      new RuleCase("batch-sum-factor",
          g -> g.batchSum(g.mul(g.param("s", Shape.SCALAR), x(g))),
          g -> g.batchSum(g.mul(w(g), x(g)))),
      new RuleCase("cancel-batch-size", g -> g.div(g.mul(g.batchSize(), w(g)), g.batchSize()),
          g -> g.div(g.mul(g.number(3), w(g)), g.batchSize())),
      new RuleCase("double", g -> g.add(g.exp(x(g)), g.exp(x(g))),
          g -> g.add(g.exp(x(g)), g.exp(w(g)))),
      new RuleCase("pow-one", g -> g.pow(x(g), g.number(1)), g -> g.pow(x(g), g.number(1.5))),
      new RuleCase("pow-two", g -> g.pow(x(g), g.number(2)), g -> g.pow(x(g), g.number(3))),
      new RuleCase("exp-log", g -> g.exp(g.log(x(g))), g -> g.exp(g.sqrt(x(g)))),
      new RuleCase("log-exp", g -> g.log(g.exp(x(g))), g -> g.log(g.sigmoid(g.exp(x(g))))),
      new RuleCase("transpose-transpose",
          g -> g.transpose(g.transpose(g.input("m", Shape.of(2, 3)))),
          g -> g.transpose(g.input("m", Shape.of(2, 3)))),
      new RuleCase("exp-log-softmax", g -> g.exp(g.logSoftmax(x(g))), g -> g.exp(g.softmax(x(g)))),
      new RuleCase("log-softmax", g -> g.log(g.softmax(x(g))), g -> g.log(g.exp(g.softmax(x(g))))),
      new RuleCase("log-sigmoid", g -> g.log(g.sigmoid(x(g))), g -> g.log(g.tanh(x(g)))),
      new RuleCase("log-one-minus-sigmoid", g -> g.log(g.sub(g.number(1), g.sigmoid(x(g)))),
          g -> g.log(g.sub(g.number(2), g.sigmoid(x(g))))),
      new RuleCase("sigmoid-bce",
          g -> call(g, "bce", g.sigmoid(x(g)), g.target("y", Shape.of(3))),
          g -> call(g, "bce", g.tanh(x(g)), g.target("y", Shape.of(3)))),
      new RuleCase("positive-coefficient", g -> g.mul(g.number(-2), g.sub(x(g), w(g))),
          g -> g.mul(g.number(2), g.sub(x(g), w(g)))));

  static Stream<Arguments> rules() {
    return RULES.stream().map(Arguments::of);
  }

  @Test
  void everyRuleHasATest() {
    Set<String> tested = new HashSet<>();
    RULES.forEach(r -> tested.add(r.rule()));
    for (Rule r : Rules.ALL) {
      assertTrue(tested.contains(r.name()), "no test for rule " + r.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void ruleFiresAndPreservesValues(RuleCase c) {
    GraphBuilder g = new GraphBuilder();
    Node root = c.fires().apply(g);
    Simplifier.Result r = Simplifier.simplify(g, List.of(root));
    assertTrue(r.ruleCounts().containsKey(c.rule()), c.rule() + " did not fire: " + r.trace());
    assertSameValues(g, root, r.roots().get(0), Domain.POSITIVE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void ruleDoesNotFireWhereItWouldBeWrong(RuleCase c) {
    GraphBuilder g = new GraphBuilder();
    Node root = c.doesNot().apply(g);
    Simplifier.Result r = Simplifier.simplify(g, List.of(root));
    assertFalse(r.ruleCounts().containsKey(c.rule()), c.rule() + " fired: " + r.trace());
  }

  static void assertSameValues(GraphBuilder g, Node before, Node after, Domain d) {
    Random rnd = new Random(7);
    for (int t = 0; t < 3; t++) {
      Map<String, double[]> v = GradCheck.randomLeaves(List.of(before, after), 2, d, rnd);
      double[] a = expand(new Evaluator(2, v).value(before), before, 2);
      double[] b = expand(new Evaluator(2, v).value(after), after, 2);
      assertEquals(a.length, b.length);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-9 * Math.max(1, Math.abs(a[i])), "element " + i);
      }
    }
  }

  /** An unbatched value repeated over the batch, to compare with a batched one. */
  static double[] expand(double[] v, Node n, int batch) {
    if (n.batched()) {
      return v;
    }
    double[] out = new double[v.length * batch];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(v, 0, out, b * v.length, v.length);
    }
    return out;
  }

  @Test
  void simplificationIsIdempotentAndSharesSubexpressions() {
    GraphBuilder g = new GraphBuilder();
    Node e = g.add(g.mul(g.number(1), g.sigmoid(x(g))), g.mul(g.sigmoid(x(g)), g.number(1)));
    Simplifier.Result r = Simplifier.simplify(g, List.of(e));
    Node s = r.roots().get(0);
    assertSame(g.mul(g.number(2), g.sigmoid(x(g))), s);
    assertSame(s, Simplifier.simplify(g, List.of(s)).roots().get(0));
    assertTrue(Simplifier.simplify(g, List.of(s)).trace().isEmpty());
  }

  // ---- differential tests over models ----

  record Model(String name, Domain domain, Function<GraphBuilder, Node> loss, List<String> params) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Node> params(GraphBuilder g, Node loss, List<String> names) {
    List<Node> out = new ArrayList<>();
    for (String name : names) {
      for (Node n : Graph.topological(List.of(loss))) {
        if (n.op() == Op.PARAM && n.name().equals(name)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  static Node dense(GraphBuilder g, Node in, String name, int units, String act) {
    Node w = g.param(name + ".W", Shape.of(in.shape().dim(in.shape().rank() - 1), units));
    Node z = g.add(g.matmul(in, w), g.param(name + ".b", Shape.of(units)));
    return act == null ? z : call(g, act, z);
  }

  static final List<Model> MODELS = List.of(
      new Model("xor mse", Domain.ANY, g -> {
        Node h = dense(g, g.input("x", Shape.of(2)), "l1", 4, "sigmoid");
        return call(g, "mse", dense(g, h, "l2", 1, "sigmoid"), g.target("y", Shape.of(1)));
      }, List.of("l1.W", "l1.b", "l2.W", "l2.b")),
      new Model("softmax classifier", Domain.UNIT, g -> {
        Node h = dense(g, g.input("x", Shape.of(3)), "l1", 5, "relu");
        return call(g, "cross_entropy", dense(g, h, "l2", 4, null), g.target("y", Shape.of(4)));
      }, List.of("l1.W", "l1.b", "l2.W", "l2.b")),
      new Model("sigmoid bce", Domain.UNIT, g -> {
        Node p = dense(g, g.input("x", Shape.of(3)), "l1", 2, "sigmoid");
        return call(g, "bce", p, g.target("y", Shape.of(2)));
      }, List.of("l1.W", "l1.b")),
      new Model("tanh matrix input", Domain.ANY, g -> {
        Node h = dense(g, g.input("x", Shape.of(2, 3)), "l1", 4, "tanh");
        Node o = dense(g, h, "l2", 2, "softplus");
        return g.add(call(g, "mean", g.pow(o, g.number(2))), call(g, "norm", g.param("l1.W",
            Shape.of(3, 4))));
      }, List.of("l1.W", "l1.b", "l2.W", "l2.b")),
      new Model("elu leaky max logsumexp", Domain.ANY, g -> {
        Node x = g.input("x", Shape.of(3));
        Node a = call(g, "elu", dense(g, x, "l1", 3, null), g.param("alpha", Shape.SCALAR));
        Node b = call(g, "leaky_relu", g.mul(a, g.param("s", Shape.SCALAR)), g.number(0.1));
        return call(g, "logsumexp", call(g, "max", b, g.transpose(g.index(
            g.param("M", Shape.of(2, 3)), 1))));
      }, List.of("l1.W", "l1.b", "alpha", "s", "M")));

  static Stream<Arguments> models() {
    return MODELS.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void simplificationNeverChangesAValue(Model m) {
    GraphBuilder g = new GraphBuilder();
    Node loss = m.loss().apply(g);
    List<Node> ps = params(g, loss, m.params());
    Gradients raw = Differentiator.differentiate(g.freeze(), loss, ps);
    Gradients simple = Simplifier.gradients(g.freeze(), loss, ps);
    Random rnd = new Random(m.name().hashCode());
    for (int t = 0; t < 3; t++) {
      Map<String, double[]> v = GradCheck.randomLeaves(List.of(loss), 4, m.domain(), rnd);
      Evaluator ev = new Evaluator(4, v);
      assertEquals(ev.scalar(raw.objective()), ev.scalar(simple.objective()), 1e-12);
      for (Node p : ps) {
        double[] a = ev.value(raw.gradient(p));
        double[] b = ev.value(simple.gradient(p));
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-10 * Math.max(1, Math.abs(a[i])), p.name() + "[" + i + "]");
        }
      }
      assertTrue(GradCheck.check(simple, ps, 4, v, 1e-6).isEmpty());
    }
  }

  @Test
  void sigmoidBceGradientIsPMinusY() {
    GraphBuilder g = new GraphBuilder();
    Node z = g.add(g.matmul(g.input("x", Shape.of(3)), g.param("W", Shape.of(3, 2))),
        g.param("b", Shape.of(2)));
    Node y = g.target("y", Shape.of(2));
    Node loss = call(g, "bce", g.sigmoid(z), y);
    Node b = g.param("b", Shape.of(2));
    Gradients gr = Simplifier.gradients(g.freeze(), loss, List.of(b));
    // db = batch_sum(1/2 * (sigmoid(z) - y)) / B, built in the gradients' own graph
    GraphBuilder h = gr.graph().fork();
    Node delta = h.mul(h.number(0.5), h.sub(h.sigmoid(z), y));
    assertSame(h.div(h.mul(h.number(0.5), h.batchSum(h.sub(h.sigmoid(z), y))), h.batchSize()),
        gr.gradient(b), () -> delta.toString());
  }

  @Test
  void softmaxCrossEntropyGradientIsPMinusY() {
    GraphBuilder g = new GraphBuilder();
    Node z = g.add(g.matmul(g.input("x", Shape.of(3)), g.param("W", Shape.of(3, 4))),
        g.param("b", Shape.of(4)));
    Node y = g.target("y", Shape.of(4));
    Node loss = call(g, "cross_entropy", z, y);
    Node b = g.param("b", Shape.of(4));
    Gradients gr = Simplifier.gradients(g.freeze(), loss, List.of(b));
    GraphBuilder h = gr.graph().fork();
    Node delta = h.sub(h.softmax(z), y);
    assertSame(h.div(h.batchSum(delta), h.batchSize()), gr.gradient(b));
  }

  // ---- expression swell ----

  static int gradientNodes(Gradients gr) {
    return Graph.topological(new ArrayList<>(gr.gradients().values())).size();
  }

  static int sigmoidChain(int n) {
    GraphBuilder g = new GraphBuilder();
    Node w = g.param("w", Shape.SCALAR);
    Node h = g.mul(w, g.input("x", Shape.SCALAR));
    for (int i = 0; i < n; i++) {
      h = g.sigmoid(h);
    }
    return gradientNodes(Simplifier.gradients(g.freeze(), h, List.of(w)));
  }

  @Test
  void nestedSigmoidGradientGrowsLinearly() {
    int[] sizes = {10, 20, 40, 80, 160};
    int[] counts = new int[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      counts[i] = sigmoidChain(sizes[i]);
    }
    for (int i = 1; i < sizes.length; i++) {
      assertTrue(counts[i] <= 2.2 * counts[i - 1], java.util.Arrays.toString(counts));
    }
    assertTrue(counts[4] <= 6 * 160, java.util.Arrays.toString(counts));
  }

  static double backwardRatio(GraphBuilder g, Node loss, List<Node> params) {
    Gradients gr = Simplifier.gradients(g.freeze(), loss, params);
    Set<Node> forward = new HashSet<>(Graph.topological(List.of(gr.objective())));
    int backward = 0;
    for (Node n : Graph.topological(new ArrayList<>(gr.gradients().values()))) {
      if (!forward.contains(n)) {
        backward++;
      }
    }
    return (double) backward / forward.size();
  }

  @Test
  void mlpGradientIsAtMostThreeTimesTheForward() {
    GraphBuilder g = new GraphBuilder();
    Node h = dense(g, g.input("x", Shape.of(784)), "l1", 128, "relu");
    Node loss = call(g, "cross_entropy", dense(g, h, "l2", 10, null),
        g.target("y", Shape.of(10)));
    double ratio = backwardRatio(g, loss, params(g, loss, List.of("l1.W", "l1.b", "l2.W", "l2.b")));
    assertTrue(ratio <= 3, "ratio " + ratio);
  }

  @Test
  void deepTanhGradientIsAtMostThreeTimesTheForward() {
    GraphBuilder g = new GraphBuilder();
    Node h = g.input("x", Shape.of(64));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      h = dense(g, h, "l" + i, 64, "tanh");
      names.add("l" + i + ".W");
      names.add("l" + i + ".b");
    }
    Node loss = call(g, "mse", h, g.target("y", Shape.of(64)));
    double ratio = backwardRatio(g, loss, params(g, loss, names));
    assertTrue(ratio <= 3, "ratio " + ratio);
  }
}
