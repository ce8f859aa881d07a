package org.gradc.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The builtin functions of the language and their lowering to primitive ops. Ops whose
 * derivative reuses their forward value (exp, tanh, sigmoid, relu, softplus, softmax,
 * log_softmax, logsumexp) are primitives; the rest are compositions. The elementwise primitives
 * come from the rows of {@link Fn} marked as builtins. Functions along the last axis
 * (softmax, log_softmax, logsumexp) work row-wise on a matrix.
 */
public final class Builtins {
  private Builtins() {}

  @FunctionalInterface
  private interface Body {
    Node apply(GraphBuilder g, List<Node> a);
  }

  private record Entry(String name, int arity, Body body) implements Builtin {
    @Override
    public Node apply(GraphBuilder g, List<Node> args) {
      if (args.size() != arity) {
        throw new IllegalArgumentException(
            name + " takes " + arity + " arguments, but got " + args.size());
      }
      return body.apply(g, args);
    }
  }

  private static final Map<String, Builtin> TABLE = new LinkedHashMap<>();

  private static void def(String name, int arity, Body body) {
    TABLE.put(name, new Entry(name, arity, body));
  }

  static {
    // elementwise primitives: every one-argument op marked a builtin in its row
    for (Fn f : Fn.values()) {
      if (f.isBuiltin() && f.arity() == 1) {
        def(f.text(), 1, (g, a) -> g.unary(f, a.get(0)));
      }
    }
    // square(x) = x ^ 2
    def("square", 1, (g, a) -> square(g, a.get(0)));
    // leaky_relu(z, alpha) = relu(z) - alpha * relu(-z)
    def("leaky_relu", 2, (g, a) -> {
      Node alpha = scalarArg("leaky_relu", "alpha", a.get(1));
      return g.sub(g.relu(a.get(0)), g.mul(alpha, g.relu(g.neg(a.get(0)))));
    });
    // elu(z, alpha) = relu(z) + alpha * (exp(min(z, 0)) - 1); min keeps exp finite for large z
    def("elu", 2, (g, a) -> {
      Node alpha = scalarArg("elu", "alpha", a.get(1));
      Node negPart = g.sub(g.exp(g.min(a.get(0), g.number(0))), g.number(1));
      return g.add(g.relu(a.get(0)), g.mul(alpha, negPart));
    });
    // and every two-argument one (max, min)
    for (Fn f : Fn.values()) {
      if (f.isBuiltin() && f.arity() == 2) {
        def(f.text(), 2, (g, a) -> g.binary(f, a.get(0), a.get(1)));
      }
    }

    // reductions
    def("sum", 1, (g, a) -> g.sum(a.get(0)));
    def("mean", 1, (g, a) -> mean(g, a.get(0)));
    // dot(a, b) = sum(a * b) on two vectors of equal length
    def("dot", 2, (g, a) -> {
      Shape sa = a.get(0).shape();
      Shape sb = a.get(1).shape();
      if (sa.rank() != 1 || !sa.equals(sb)) {
        throw new ShapeException(
            "dot needs two vectors of equal length, but has shapes " + sa + " and " + sb);
      }
      return g.sum(g.mul(a.get(0), a.get(1)));
    });
    // norm(t) = sqrt(sum(t ^ 2))
    def("norm", 1, (g, a) -> g.sqrt(g.sum(square(g, a.get(0)))));
    def("softmax", 1, (g, a) -> g.softmax(a.get(0)));
    def("log_softmax", 1, (g, a) -> g.logSoftmax(a.get(0)));
    def("logsumexp", 1, (g, a) -> g.logsumexp(a.get(0)));

    // losses (per example, scalar)
    // mse(a, y) = mean((a - y) ^ 2)
    def("mse", 2, (g, a) -> {
      sameShape(a);
      return mean(g, square(g, g.sub(a.get(0), a.get(1))));
    });
    // bce(p, y) = -mean(y * log(p) + (1 - y) * log(1 - p))
    def("bce", 2, (g, a) -> {
      sameShape(a);
      Node p = a.get(0);
      Node y = a.get(1);
      Node one = g.number(1);
      Node terms = g.add(g.mul(y, g.log(p)), g.mul(g.sub(one, y), g.log(g.sub(one, p))));
      return g.neg(mean(g, terms));
    });
    // bce_logits(z, y) = mean(softplus(z) - z * y), the stable form of bce(sigmoid(z), y)
    def("bce_logits", 2, (g, a) -> {
      sameShape(a);
      return mean(g, g.sub(g.softplus(a.get(0)), g.mul(a.get(0), a.get(1))));
    });
    // cross_entropy(z, y) = -sum(y * log_softmax(z)) = sum(logsumexp(z) * sum_row(y)) - sum(y * z);
    // y is one-hot or a distribution (each row sums to 1), so this is sum(logsumexp(z)) - sum(y * z),
    // whose gradient is exactly softmax(z) - y. Wrong if a row of y does not sum to 1.
    def("cross_entropy", 2, (g, a) -> {
      sameShape(a);
      return g.sub(g.sum(g.logsumexp(a.get(0))), g.sum(g.mul(a.get(1), a.get(0))));
    });
  }

  private static Node square(GraphBuilder g, Node x) {
    return g.pow(x, g.number(2));
  }

  // mean(t) = sum(t) / size
  private static Node mean(GraphBuilder g, Node x) {
    return g.div(g.sum(x), g.number(x.shape().size()));
  }

  private static Node scalarArg(String fn, String what, Node n) {
    if (!n.shape().isScalar()) {
      throw new ShapeException(fn + ": " + what + " must be a scalar, but has shape " + n.shape());
    }
    return n;
  }

  private static void sameShape(List<Node> a) {
    Shape s0 = a.get(0).shape();
    Shape s1 = a.get(1).shape();
    if (!s0.equals(s1)) {
      throw new ShapeException("shapes " + s0 + " and " + s1 + " do not match");
    }
  }

  public static Optional<Builtin> lookup(String name) {
    return Optional.ofNullable(TABLE.get(name));
  }

  /** All builtin names, in a fixed order. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(TABLE.keySet());
  }
}
