package org.gradc.simplify;

import java.util.List;
import java.util.Map;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Fn;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;

/**
 * The rewrite rules, one entry each with its identity and caveat. Phases in order: canonicalize
 * (constants, identities, signs), stabilize (numerically better forms), specialize (fused
 * gradient forms). Every rule preserves values except where its caveat says so; the caveats
 * concern NaN and infinities only.
 */
final class Rules {
  private Rules() {}

  /** Every rule but {@link #CUSTOM_BODY}, for the loss that is still to be differentiated. */
  static List<Rule> beforeDifferentiation() {
    return ALL.stream().filter(r -> r != CUSTOM_BODY).toList();
  }

  /**
   * custom(body, args…) -> body: a def's own derivative rule has been used once the graph is
   * differentiated, so after that only its value remains (never applied before differentiation).
   */
  static final Rule CUSTOM_BODY = new Rule("custom-rule-used",
      (g, n) -> n.op() == Op.CUSTOM ? n.input(0) : null);

  static final List<Rule> ALL = List.of(
      CUSTOM_BODY,
      // ---- canonicalize ----
      // op(numbers) -> number            (elementwise ops on scalar literals are evaluated)
      new Rule("fold-constants", Rules::fold),
      // x * 1 -> x, 1 * x -> x
      new Rule("mul-one", (g, n) -> !n.is(Fn.MUL) ? null
          : n.input(1).isNumber(1) ? fit(g, n.input(0), n)
          : n.input(0).isNumber(1) ? fit(g, n.input(1), n) : null),
      // x / 1 -> x
      new Rule("div-one", (g, n) -> n.is(Fn.DIV) && n.input(1).isNumber(1)
          ? fit(g, n.input(0), n) : null),
      // x + 0 -> x, 0 + x -> x, x - 0 -> x
      new Rule("add-zero", (g, n) -> (n.is(Fn.ADD) || n.is(Fn.SUB)) && isZero(n.input(1))
          ? fit(g, n.input(0), n)
          : n.is(Fn.ADD) && isZero(n.input(0)) ? fit(g, n.input(1), n) : null),
      // 0 - x -> -x
      new Rule("zero-sub", (g, n) -> n.is(Fn.SUB) && isZero(n.input(0))
          ? fit(g, g.neg(n.input(1)), n) : null),
      // x * 0 -> 0, 0 * x -> 0, 0 / x -> 0      (wrong if x is NaN or infinite, or x = 0 for /)
      new Rule("mul-zero", (g, n) -> (n.is(Fn.MUL) && (isZero(n.input(0)) || isZero(n.input(1))))
          || (n.is(Fn.DIV) && isZero(n.input(0))) ? zeros(g, n.shape()) : null),
      // --x -> x
      new Rule("neg-neg", (g, n) -> n.is(Fn.NEG) && n.input(0).is(Fn.NEG)
          ? n.input(0).input(0) : null),
      // -1 * x -> -x, x * -1 -> -x
      new Rule("mul-minus-one", (g, n) -> !n.is(Fn.MUL) ? null
          : n.input(0).isNumber(-1) ? fit(g, g.neg(n.input(1)), n)
          : n.input(1).isNumber(-1) ? fit(g, g.neg(n.input(0)), n) : null),
      // x + -y -> x - y, -x + y -> y - x, x - -y -> x + y
      new Rule("add-neg", (g, n) -> n.is(Fn.ADD) && n.input(1).is(Fn.NEG)
          ? g.sub(n.input(0), n.input(1).input(0))
          : n.is(Fn.ADD) && n.input(0).is(Fn.NEG)
          ? g.sub(n.input(1), n.input(0).input(0))
          : n.is(Fn.SUB) && n.input(1).is(Fn.NEG)
          ? g.add(n.input(0), n.input(1).input(0)) : null),
      // -x * y -> -(x * y), x * -y -> -(x * y), -x / y -> -(x / y), x / -y -> -(x / y)
      new Rule("pull-neg", (g, n) -> (!n.is(Fn.MUL) && !n.is(Fn.DIV)) ? null
          : n.input(0).is(Fn.NEG)
          ? g.neg(g.rebuild(n, List.of(n.input(0).input(0), n.input(1))))
          : n.input(1).is(Fn.NEG)
          ? g.neg(g.rebuild(n, List.of(n.input(0), n.input(1).input(0)))) : null),
      // sum(-x) -> -sum(x), likewise sum_rows, transpose, broadcast, index, batch_sum
      new Rule("linear-neg", (g, n) -> isLinearUnary(n.op()) && n.input(0).is(Fn.NEG)
          ? g.neg(g.rebuild(n, List.of(n.input(0).input(0)))) : null),
      // a * (b * x) -> (a * b) * x for numbers a, b
      new Rule("collect-numbers", (g, n) -> n.is(Fn.MUL) && n.input(0).op() == Op.NUMBER
          && n.input(1).is(Fn.MUL) && n.input(1).input(0).op() == Op.NUMBER
          ? g.mul(g.mul(n.input(0), n.input(1).input(0)), n.input(1).input(1)) : null),
      // x * c -> c * x for a number c            (numbers first, so coefficients meet)
      new Rule("number-first", (g, n) -> n.is(Fn.MUL) && n.input(1).op() == Op.NUMBER
          && n.input(0).op() != Op.NUMBER ? g.mul(n.input(1), n.input(0)) : null),
      // c * x + c * y -> c * (x + y), c * x - c * y -> c * (x - y)   (rounding may differ)
      new Rule("factor", (g, n) -> (n.is(Fn.ADD) || n.is(Fn.SUB))
          && n.input(0).is(Fn.MUL) && n.input(1).is(Fn.MUL)
          && n.input(0).input(0) == n.input(1).input(0)
          ? fit(g, g.mul(n.input(0).input(0),
              g.rebuild(n, List.of(n.input(0).input(1), n.input(1).input(1)))), n) : null),
      // x + x -> 2 * x                         (exact in floating point)
      new Rule("double", (g, n) -> n.is(Fn.ADD) && n.input(0) == n.input(1)
          ? g.mul(g.number(2), n.input(0)) : null),
      // broadcast(s) * x -> s * x when x already has the result shape (and likewise + - / max min)
      new Rule("drop-broadcast", Rules::dropBroadcast),
      // sum(x) -> x for a scalar x
      new Rule("sum-scalar", (g, n) -> n.op() == Op.SUM && n.input(0).shape().isScalar()
          ? n.input(0) : null),
      // sum(broadcast(x, S)) -> sum(x) * (|S| / |x|), sum_rows(broadcast(x, [m, n])) -> m * x
      new Rule("sum-broadcast", Rules::sumOfBroadcast),
      // batch_sum(c * x) -> c * batch_sum(x) for unbatched c
      new Rule("batch-sum-factor", (g, n) -> n.op() == Op.BATCH_SUM && n.input(0).is(Fn.MUL)
          && !n.input(0).input(0).batched() && n.input(0).input(0).shape().isScalar()
          ? g.mul(n.input(0).input(0), g.batchSum(n.input(0).input(1))) : null),
      // (B * x) / B -> x, (x * B) / B -> x       (B >= 1, so exact up to rounding)
      new Rule("cancel-batch-size", (g, n) -> n.is(Fn.DIV) && n.input(1).op() == Op.BATCH_SIZE
          && n.input(0).is(Fn.MUL)
          ? (n.input(0).input(0).op() == Op.BATCH_SIZE ? fit(g, n.input(0).input(1), n)
          : n.input(0).input(1).op() == Op.BATCH_SIZE ? fit(g, n.input(0).input(0), n) : null)
          : null),
      // x ^ 1 -> x
      new Rule("pow-one", (g, n) -> n.is(Fn.POW) && n.input(1).isNumber(1)
          ? n.input(0) : null),
      // x ^ 2 -> x * x
      new Rule("pow-two", (g, n) -> n.is(Fn.POW) && n.input(1).isNumber(2)
          ? g.mul(n.input(0), n.input(0)) : null),
      // exp(log x) -> x                          (wrong for x < 0, where the original is NaN)
      new Rule("exp-log", (g, n) -> n.is(Fn.EXP) && n.input(0).is(Fn.LOG)
          ? n.input(0).input(0) : null),
      // log(exp x) -> x                          (the original overflows to inf for x > 709)
      new Rule("log-exp", (g, n) -> n.is(Fn.LOG) && n.input(0).is(Fn.EXP)
          ? n.input(0).input(0) : null),
      // (x^T)^T -> x
      new Rule("transpose-transpose", (g, n) -> n.op() == Op.TRANSPOSE
          && n.input(0).op() == Op.TRANSPOSE ? n.input(0).input(0) : null),

      // ---- stabilize ----
      // exp(log_softmax x) -> softmax x
      new Rule("exp-log-softmax", (g, n) -> n.is(Fn.EXP)
          && n.input(0).op() == Op.LOG_SOFTMAX ? g.softmax(n.input(0).input(0)) : null),
      // log(softmax x) -> log_softmax x          (finite where the original underflows to -inf)
      new Rule("log-softmax", (g, n) -> n.is(Fn.LOG) && n.input(0).op() == Op.SOFTMAX
          ? g.logSoftmax(n.input(0).input(0)) : null),
      // log(sigmoid z) -> -softplus(-z)          (finite where the original underflows to -inf)
      new Rule("log-sigmoid", (g, n) -> n.is(Fn.LOG) && n.input(0).is(Fn.SIGMOID)
          ? g.neg(g.softplus(g.neg(n.input(0).input(0)))) : null),
      // log(1 - sigmoid z) -> -softplus(z)
      new Rule("log-one-minus-sigmoid", (g, n) -> n.is(Fn.LOG) && n.input(0).is(Fn.SUB)
          && n.input(0).input(0).isNumber(1) && n.input(0).input(1).is(Fn.SIGMOID)
          ? g.neg(g.softplus(n.input(0).input(1).input(0))) : null),
      // -(y * softplus(-z)) - (1 - y) * softplus(z) -> z * y - softplus(z)
      //   (bce of p = sigmoid(z) after log-sigmoid and the sign rules, since
      //   softplus(-z) = softplus(z) - z; its gradient then reads p - y)
      new Rule("sigmoid-bce", Rules::sigmoidBce),

      // ---- specialize ----
      // c * (a - b) -> (-c) * (b - a) for a number c < 0   (so -1/n * (y - p) reads 1/n * (p - y))
      new Rule("positive-coefficient", (g, n) -> n.is(Fn.MUL)
          && n.input(0).op() == Op.NUMBER && n.input(0).value() < 0 && n.input(1).is(Fn.SUB)
          ? g.mul(g.number(-n.input(0).value()),
              g.sub(n.input(1).input(1), n.input(1).input(0))) : null)
  );

  private static boolean isLinearUnary(Op op) {
    return switch (op) {
      case SUM, SUM_ROWS, TRANSPOSE, BROADCAST, INDEX, PLACE, BATCH_SUM, BATCH_MEAN -> true;
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, UNARY, BINARY, CUSTOM, RESHAPE, IM2COL,
          COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL, MATMUL, OUTER, SOFTMAX, LOG_SOFTMAX,
          LOGSUMEXP -> false;
    };
  }

  static boolean isZero(Node n) {
    return n.op() == Op.NUMBER && n.value() == 0
        || n.op() == Op.BROADCAST && isZero(n.input(0));
  }

  static Node zeros(GraphBuilder g, Shape s) {
    return g.broadcast(g.number(0), s);
  }

  /** x expanded to the shape of {@code like}, so a rewrite never changes a node's shape. */
  private static Node fit(GraphBuilder g, Node x, Node like) {
    return g.broadcast(x, like.shape());
  }

  private static Node fold(GraphBuilder g, Node n) {
    if (!n.op().isElementwise()) {
      return null;
    }
    for (Node in : n.inputs()) {
      if (in.op() != Op.NUMBER) {
        return null;
      }
    }
    return g.number(new Evaluator(1, Map.of()).scalar(n));
  }

  private static Node dropBroadcast(GraphBuilder g, Node n) {
    if (!n.op().isElementwiseBinary()) {
      return null;
    }
    Node a = n.input(0);
    Node b = n.input(1);
    if (a.op() == Op.BROADCAST && b.shape().equals(n.shape())) {
      return g.rebuild(n, List.of(a.input(0), b));
    }
    if (b.op() == Op.BROADCAST && a.shape().equals(n.shape())) {
      return g.rebuild(n, List.of(a, b.input(0)));
    }
    return null;
  }

  private static Node sumOfBroadcast(GraphBuilder g, Node n) {
    if ((n.op() != Op.SUM && n.op() != Op.SUM_ROWS) || n.input(0).op() != Op.BROADCAST) {
      return null;
    }
    Node x = n.input(0).input(0);
    Shape to = n.input(0).shape();
    if (n.op() == Op.SUM) {
      return g.mul(g.number(to.size() / x.shape().size()), g.sum(x));
    }
    if (n.op() == Op.SUM_ROWS) {
      return g.mul(g.number(to.dim(0)), g.broadcast(x, n.shape()));
    }
    return null;
  }

  private static Node sigmoidBce(GraphBuilder g, Node n) {
    if (!n.is(Fn.SUB) || !n.input(0).is(Fn.NEG) || !n.input(1).is(Fn.MUL)) {
      return null;
    }
    Node left = n.input(0).input(0);
    Node right = n.input(1);
    if (!left.is(Fn.MUL) || !left.input(1).is(Fn.SOFTPLUS)
        || !left.input(1).input(0).is(Fn.NEG) || !right.input(1).is(Fn.SOFTPLUS)) {
      return null;
    }
    Node y = left.input(0);
    Node z = right.input(1).input(0);
    Node oneMinusY = right.input(0);
    if (left.input(1).input(0).input(0) != z || !oneMinusY.is(Fn.SUB)
        || !oneMinusY.input(0).isNumber(1) || oneMinusY.input(1) != y) {
      return null;
    }
    return fit(g, g.sub(g.mul(z, y), g.softplus(z)), n);
  }
}
