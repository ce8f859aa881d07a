package org.gradc.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.gradc.diff.DifferentiatorTest.Case;
import org.gradc.diff.DifferentiatorTest.Model;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
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
}
