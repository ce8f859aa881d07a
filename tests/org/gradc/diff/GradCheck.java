package org.gradc.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.train.GradientCheck;

/** Finite-difference checking of symbolic gradients, shared by the diff and simplify tests. */
public final class GradCheck {
  private GradCheck() {}

  /** Value range for random leaf values. */
  public enum Domain {
    ANY(-1.5, 1.5),
    POSITIVE(0.3, 1.6),
    UNIT(0.15, 0.85);

    final double lo;
    final double hi;

    Domain(double lo, double hi) {
      this.lo = lo;
      this.hi = hi;
    }
  }

  /** Random values for every input, target and param leaf reachable from the roots. */
  public static Map<String, double[]> randomLeaves(
      List<Node> roots, int batch, Domain domain, Random rnd) {
    Map<String, double[]> values = new HashMap<>();
    for (Node n : Graph.topological(roots)) {
      if (n.op() == Op.INPUT || n.op() == Op.TARGET || n.op() == Op.PARAM) {
        double[] v = new double[(n.batched() ? batch : 1) * n.shape().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = domain.lo + (domain.hi - domain.lo) * rnd.nextDouble();
        }
        values.put(n.name(), v);
      }
    }
    return values;
  }

  /**
   * Compares each gradient element with a central difference of the objective, step
   * h = cbrt(eps) * max(1, |p|). Returns a list of failures (empty when all agree to
   * {@code tol} relative to max(1, |analytic|, |numeric|)).
   */
  public static List<String> check(
      Gradients grads, List<Node> params, int batch, Map<String, double[]> values, double tol) {
    return check(grads.objective(), params, p -> grads.gradient(p), batch, values, tol);
  }

  public static List<String> check(Node objective, List<Node> params, Function<Node, Node> gradOf,
      int batch, Map<String, double[]> values, double tol) {
    List<String> failures = new ArrayList<>();
    Evaluator ev = new Evaluator(batch, values);
    for (Node p : params) {
      double[] analytic = ev.value(gradOf.apply(p));
      double[] base = values.get(p.name()).clone();
      GradientCheck.Loss f = v -> {
        Map<String, double[]> copy = new HashMap<>(values);
        copy.put(p.name(), v);
        return new Evaluator(batch, copy).scalar(objective);
      };
      for (int i = 0; i < base.length; i++) {
        GradientCheck.Element e = GradientCheck.check(f, base, analytic, i);
        if (!(e.error() <= tol)) {
          failures.add(String.format("d/d%s[%d]: analytic %.12g, numeric %.12g, error %.3g at %s=%.6g",
              p.name(), i, e.analytic(), e.numeric(), e.error(), p.name(), base[i]));
        }
      }
    }
    return failures;
  }
}
