package org.gradc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.gradc.diag.Diagnostics;
import org.gradc.diff.Differentiator;
import org.gradc.diff.Gradients;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.CheckedProgram;
import org.gradc.sema.DefRule;
import org.gradc.simplify.Simplifier;

/**
 * Checks each def's grad clause at the shapes it is used with, against the derivative of the
 * def's body. A clause the simplifier proves equal to the automatic derivative is accepted;
 * otherwise it must agree with central differences at random points where the body is finite
 * and smooth (the central differences at two step sizes agree), unless rules are trusted.
 */
final class RuleCheck {
  /** Points the clause must agree at, and the most tried to find them. */
  private static final int POINTS = 3;
  private static final int TRIES = 60;
  /** Coordinates compared per argument and point (large arguments are sampled). */
  private static final int COORDINATES = 16;
  private static final double H = 1e-4;
  private static final double TOLERANCE = 1e-5;

  private RuleCheck() {}

  /** Reports every clause that disagrees with its body's derivative (numerically unless trusted). */
  static void check(CheckedProgram program, boolean trustRules, Diagnostics diagnostics) {
    Set<List<Object>> done = new HashSet<>();
    for (CheckedModel m : program.models()) {
      List<Node> roots = new ArrayList<>();
      roots.add(m.loss());
      m.outputs().forEach(o -> roots.add(o.node()));
      for (Node n : Graph.topological(roots)) {
        if (n.op() != Op.CUSTOM) {
          continue;
        }
        DefRule rule = (DefRule) GraphBuilder.rule(n);
        List<Shape> shapes =
            n.inputs().subList(1, n.inputs().size()).stream().map(Node::shape).toList();
        if (done.add(List.of(rule, shapes))) {
          String failure = check(rule, shapes, trustRules);
          if (failure != null) {
            diagnostics.error(rule.span(), failure);
          }
        }
      }
    }
  }

  /** One clause at one set of argument shapes: null when accepted, else the message. */
  private static String check(DefRule rule, List<Shape> shapes, boolean trustRules) {
    GraphBuilder g = new GraphBuilder();
    List<Node> args = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      args.add(g.param(rule.parameter(i), shapes.get(i)));
    }
    Node body = rule.forward(g, args);
    Node cotangent = g.param("∂" + rule.name(), body.shape());
    Node s = g.sum(g.mul(body, cotangent));
    Gradients auto = Differentiator.differentiate(g.freeze(), s, args);
    GraphBuilder both = auto.graph().fork();
    List<Node> roots = new ArrayList<>(auto.gradients().values());
    roots.addAll(rule.vjp(both, args, body, cotangent));
    List<Node> simplified = Simplifier.simplify(both, roots).roots();
    int k = args.size();
    if (simplified.subList(0, k).equals(simplified.subList(k, 2 * k)) || trustRules) {
      return null;
    }
    return numeric(rule, args, s, simplified.subList(k, 2 * k), cotangent);
  }

  private static String numeric(DefRule rule, List<Node> args, Node s, List<Node> products,
      Node cotangent) {
    Random random = new Random(18);
    int accepted = 0;
    for (int t = 0; t < TRIES && accepted < POINTS; t++) {
      Map<String, double[]> point = new HashMap<>();
      for (Node a : args) {
        point.put(a.name(), uniform(random, a.shape().size(), 2));
      }
      point.put(cotangent.name(), uniform(random, cotangent.shape().size(), 1));
      Evaluator at = new Evaluator(1, point);
      if (!Double.isFinite(at.scalar(s))) {
        continue;
      }
      String verdict = compare(rule, args, s, products, point, random);
      if (verdict == null) {
        accepted++;
      } else if (!verdict.isEmpty()) {
        return verdict;
      }
    }
    if (accepted == 0) {
      return "the grad clause of '" + rule.name() + "' could not be checked: its body is not finite"
          + " and smooth at any point tried; pass --trust-rules to use it unchecked";
    }
    return null;
  }

  /**
   * Compares the clause with central differences at one point: null when they agree, "" when
   * the point is not smooth (differences at two steps disagree), else the message.
   */
  private static String compare(DefRule rule, List<Node> args, Node s, List<Node> products,
      Map<String, double[]> point, Random random) {
    Map<Node, double[]> given = Evaluator.evaluate(products, 1, point);
    for (int i = 0; i < args.size(); i++) {
      double[] x = point.get(args.get(i).name());
      double[] r = given.get(products.get(i));
      for (int c = 0; c < Math.min(COORDINATES, x.length); c++) {
        int j = x.length <= COORDINATES ? c : random.nextInt(x.length);
        double d = central(s, point, x, j, H);
        double coarse = central(s, point, x, j, 10 * H);
        if (!Double.isFinite(d) || Math.abs(d - coarse) > 1e-3 * (1 + Math.abs(d))) {
          return "";
        }
        if (!Double.isFinite(r[j]) || Math.abs(r[j] - d) > TOLERANCE * (1 + Math.abs(d))) {
          return "the grad clause of '" + rule.name() + "' disagrees with the derivative of its"
              + " body: at " + describe(args, point) + " with the result's adjoint "
              + values(point.get("∂" + rule.name())) + ", it gives " + (x.length == 1 ? "" : "element " + j
              + " of ") + "the product for '" + rule.parameter(i) + "' = " + r[j]
              + " but central differences give " + d
              + "; pass --trust-rules if the rule is meant to differ (a straight-through estimator)";
        }
      }
    }
    return null;
  }

  /** d/dx_j of s at the point, by central differences of step h (the point is restored). */
  private static double central(Node s, Map<String, double[]> point, double[] x, int j, double h) {
    double x0 = x[j];
    x[j] = x0 + h;
    double up = new Evaluator(1, point).scalar(s);
    x[j] = x0 - h;
    double down = new Evaluator(1, point).scalar(s);
    x[j] = x0;
    return (up - down) / (2 * h);
  }

  private static double[] uniform(Random random, int n, double radius) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (2 * random.nextDouble() - 1) * radius;
    }
    return v;
  }

  private static String describe(List<Node> args, Map<String, double[]> point) {
    List<String> parts = new ArrayList<>();
    for (Node a : args) {
      parts.add(a.name() + " = " + values(point.get(a.name())));
    }
    return String.join(", ", parts);
  }

  private static String values(double[] v) {
    if (v.length == 1) {
      return Double.toString(v[0]);
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < Math.min(v.length, 6); i++) {
      parts.add(Double.toString(v[i]));
    }
    return "[" + String.join(", ", parts) + (v.length > 6 ? ", …" : "") + "]";
  }
}
