package org.gradc.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.gradc.Gradc;
import org.gradc.diff.DifferentiatorTest.Case;
import org.gradc.diff.DifferentiatorTest.Model;
import org.gradc.ir.Evaluator;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.gradc.simplify.Simplifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op's second-order rule: on each of the differentiator's cases (one or more per op and
 * builtin), the gradient of s = g(θ) · v, which is H·v, against central differences of s, that is
 * of the gradient along v. The gradient graph is differentiated as it comes, unsimplified.
 */
class SecondOrderTest {
  static Stream<Arguments> cases() {
    return DifferentiatorTest.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hessianVectorProductMatchesDifferencesOfTheGradient(Case c) {
    GraphBuilder g = new GraphBuilder();
    Model m = c.build().apply(g);
    Gradients first = Differentiator.differentiate(g.freeze(), m.loss(), m.params());
    GraphBuilder b = first.graph().fork();
    Node s = null;
    for (Node p : m.params()) {
      Node v = b.param(SecondOrder.directionName(p.name()), p.shape());
      Node term = b.sum(b.mul(first.gradient(p), v));
      s = s == null ? term : b.add(s, term);
    }
    Gradients second = Differentiator.differentiate(b.freeze(), s, m.params());
    Random rnd = new Random(c.name().hashCode() * 31L);
    for (int trial = 0; trial < 2; trial++) {
      Map<String, double[]> values = GradCheck.randomLeaves(List.of(s, m.loss()), DifferentiatorTest.B,
          c.domain(), rnd);
      List<String> failures = GradCheck.check(s, m.params(), second::gradient,
          DifferentiatorTest.B, values, 1e-6);
      assertTrue(failures.isEmpty(), c.name() + ":\n" + String.join("\n", failures));
    }
  }

  @Test
  void hessianEntriesAreTheHessianVectorProductsOfUnitDirectionsAreTheHessianVectorProductsOfUnitDirections() throws Exception {
    CheckedModel m = Gradc.check(Gradc.read(Path.of("examples/seeds/neuron.grad"))).models()
        .get(0);
    List<Node> params = m.params().stream().map(CheckedModel.Param::node).toList();
    Gradients g = Simplifier.gradients(m.graph(), m.loss(), params);
    SecondOrder.Hessian h = SecondOrder.hessian(g, params);
    CompiledModel c = Gradc.compile(Path.of("examples/seeds/neuron.grad"));
    double[] theta = {1.2, -0.8};
    double[] x = {0.5, -1, 2};
    double[] y = {0, 1, 1};
    Evaluator ev = new Evaluator(3, Map.of("w", new double[] {1.2}, "b", new double[] {-0.8},
        "x", x, "y", y));
    for (int j = 0; j < 2; j++) {
      double[] unit = new double[2];
      unit[j] = 1;
      double[] column = new double[2];
      c.hessianVectorProduct(theta, unit, x, y, 3, column);
      double[] symbolic = new double[2];
      for (int i = 0; i < 2; i++) {
        symbolic[i] = ev.scalar(h.rows().get(params.get(i)).get(params.get(j)));
      }
      assertArrayEquals(column, symbolic, 1e-12);
    }
  }
}
