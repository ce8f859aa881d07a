package org.gradc.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.ir.Fn;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;

/**
 * Reverse-mode symbolic differentiation on the expression DAG.
 *
 * <p>In: a graph, a per-example scalar loss and the parameters. Out: {@link Gradients} whose
 * objective is the batch mean of the loss and whose gradients are new nodes in the same graph.
 * The adjoint of every node is accumulated in reverse topological order, fan-out summed, using one
 * vector-Jacobian product per op ({@link #vjp}). Only nodes that depend on a parameter receive an
 * adjoint, so inputs, targets and constants get none.
 *
 * <p>Batch axis: adjoints are of the per-example sum S = sum_b loss_b, seeded with 1. A batched
 * adjoint flowing into an unbatched operand of a batched node is reduced with an explicit batch
 * sum (for {@code x @ W} that is X^T Delta); an unbatched one is multiplied by B. Each parameter
 * gradient is finally divided by B explicitly, the derivative of the batch mean.
 */
public final class Differentiator {
  private final GraphBuilder g;
  /** Each example's own gradient: adjoints stay batched, nothing is summed or divided by B. */
  private final boolean perExample;

  private Differentiator(GraphBuilder g, boolean perExample) {
    this.g = g;
    this.perExample = perExample;
  }

  /**
   * The gradients of the batch mean of a per-example loss, built in a fork of {@code g}.
   *
   * @param g the graph holding the loss (not changed)
   * @param perExampleLoss a scalar node of {@code g}
   * @param params the parameters to differentiate for, in the order the result lists them
   * @return the gradients and the graph that holds them
   */
  public static Gradients differentiate(Graph g, Node perExampleLoss, List<Node> params) {
    if (!perExampleLoss.shape().isScalar()) {
      throw new IllegalArgumentException(
          "the loss must be a scalar, but has shape " + perExampleLoss.shape());
    }
    return new Differentiator(g.fork(), false).run(perExampleLoss, params);
  }

  /**
   * The gradient of each example's own loss, not of the batch mean: the same reverse pass with
   * the adjoints of parameters left per example (a batched node where it differs between
   * examples, an unbatched one where it is the same for all). The objective is the loss itself.
   *
   * @param g the graph holding the loss (not changed)
   * @param perExampleLoss a scalar node of {@code g}; its graph must not mix examples
   * @param params the parameters, in the order the result lists them
   * @return per-example gradients and the graph that holds them
   */
  public static Gradients perExample(Graph g, Node perExampleLoss, List<Node> params) {
    for (Node n : Graph.topological(List.of(perExampleLoss))) {
      if (n.op() == Op.BATCH_SUM || n.op() == Op.BATCH_MEAN) {
        throw new IllegalArgumentException("the loss mixes examples through " + n.op().text()
            + ", so an example has no gradient of its own");
      }
    }
    return new Differentiator(g.fork(), true).run(perExampleLoss, params);
  }

  private Gradients run(Node loss, List<Node> params) {
    List<Node> order = Graph.topological(List.of(loss));
    Set<Node> paramSet = new HashSet<>(params);
    Set<Node> needs = new HashSet<>();
    for (Node n : order) {
      if (paramSet.contains(n) || n.inputs().stream().anyMatch(needs::contains)) {
        needs.add(n);
      }
    }
    Map<Node, Node> adj = new HashMap<>();
    if (needs.contains(loss)) {
      adj.put(loss, g.number(1));
    }
    for (int k = order.size() - 1; k >= 0; k--) {
      Node n = order.get(k);
      Node a = adj.get(n);
      if (a == null || n.op().isLeaf()) {
        continue;
      }
      for (int i = 0; i < n.inputs().size(); i++) {
        Node w = n.input(i);
        if (!needs.contains(w)) {
          continue;
        }
        Node c = vjp(n, i, a);
        if (c == null) {
          continue;
        }
        if (!c.shape().equals(w.shape())) {
          throw new IllegalStateException("adjoint of " + w + " has shape " + c.shape());
        }
        if (!perExample) {
          c = overTheBatch(c, w, n);
        }
        Node prev = adj.get(w);
        adj.put(w, prev == null ? c : g.add(prev, c));
      }
    }
    Node objective = loss.batched() && !perExample ? g.batchMean(loss) : loss;
    Map<Node, Node> grads = new LinkedHashMap<>();
    for (Node p : params) {
      Node a = adj.get(p);
      if (a == null) {
        grads.put(p, g.broadcast(g.number(0), p.shape()));
      } else {
        grads.put(p, loss.batched() && !perExample ? g.div(a, g.batchSize()) : a);
      }
    }
    Map<Node, Node> adjoints = new LinkedHashMap<>();
    for (Node n : order) {
      if (adj.containsKey(n)) {
        adjoints.put(n, adj.get(n));
      }
    }
    return new Gradients(g.freeze(), loss, objective, grads, adjoints);
  }

  /**
   * A contribution to an unbatched operand {@code w} of {@code n}, summed over the batch (per
   * example, a contribution stays the example's own, and an unbatched one is every example's).
   */
  private Node overTheBatch(Node c, Node w, Node n) {
    if (!w.batched() && c.batched()) {
      return g.batchSum(c);
    }
    if (!w.batched() && n.batched()) {
      // the same contribution from each of the B examples
      return g.mul(c, g.batchSize());
    }
    return c;
  }

  /** Sums a contribution of the broadcast result shape back to the operand shape. */
  private Node unbroadcast(Node c, Shape to) {
    if (c.shape().equals(to)) {
      return c;
    }
    if (to.isScalar()) {
      return g.sum(c);
    }
    return g.sumRows(c);
  }

  /**
   * The vector-Jacobian product of {@code n} for its input {@code i}, given the adjoint {@code a}
   * of {@code n}: the contribution to the input's adjoint, in the input's shape. Null when the
   * derivative is zero everywhere it exists.
   */
  private Node vjp(Node n, int i, Node a) {
    Node x = n.input(0);
    Node y = n.inputs().size() > 1 ? n.input(1) : null;
    return switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE -> null;
      case UNARY, BINARY -> elementwiseVjp(n, i, a);
      // d x^T = a^T
      case TRANSPOSE -> g.transpose(a);
      case RESHAPE, IM2COL, COL2IM, AVG_POOL, AVG_UNPOOL, MAX_POOL, MAX_UNPOOL ->
          windowVjp(n, i, a);
      // d x[k] = a placed at k
      case INDEX -> g.place(a, n.index(), x.shape());
      case PLACE -> g.index(a, n.index());
      // broadcasting forward is summing backward
      case BROADCAST -> unbroadcast(a, x.shape());
      // the program's own rule for a def: nothing through the body, the rule's product to each
      // argument, in terms of the arguments, the body's value and the adjoint
      case CUSTOM -> i == 0 ? null
          : GraphBuilder.rule(n).vjp(g, n.inputs().subList(1, n.inputs().size()), x, a).get(i - 1);
      case SUM, SUM_ROWS -> g.broadcast(a, x.shape());
      case MATMUL -> matmulVjp(x, y, a, i);
      // d outer(x, y) = a @ y, x @ a
      case OUTER -> i == 0 ? g.matmul(a, y) : g.matmul(x, a);
      // d softmax x = n * (a - sum_last(a * n))
      case SOFTMAX -> g.mul(n, g.sub(a, g.expandLast(g.sumLast(g.mul(a, n)), n.shape())));
      // d log_softmax x = a - softmax(x) * sum_last(a)
      case LOG_SOFTMAX -> g.sub(a, g.mul(g.softmax(x), g.expandLast(g.sumLast(a), x.shape())));
      // d logsumexp x = softmax(x) * a
      case LOGSUMEXP -> g.mul(g.softmax(x), g.expandLast(a, x.shape()));
      // the batch sum sends its adjoint to every example; the mean also divides by B
      case BATCH_SUM -> a;
      case BATCH_MEAN -> g.div(a, g.batchSize());
    };
  }

  /** The vector-Jacobian product of an elementwise function: one line per row of {@link Fn}. */
  private Node elementwiseVjp(Node n, int i, Node a) {
    Node x = n.input(0);
    Node y = n.inputs().size() > 1 ? n.input(1) : null;
    Node one = g.number(1);
    Shape to = n.input(i).shape();
    return switch (n.fn()) {
      // d(x + y) = a, a
      case ADD -> unbroadcast(a, to);
      // d(x - y) = a, -a
      case SUB -> unbroadcast(i == 0 ? a : g.neg(a), to);
      // d(x * y) = a * y, a * x
      case MUL -> unbroadcast(g.mul(a, i == 0 ? y : x), to);
      // d(x / y) = a / y, -a * n / y          (n = x / y, reused)
      case DIV -> unbroadcast(i == 0 ? g.div(a, y) : g.neg(g.div(g.mul(a, n), y)), to);
      // d(x ^ y) = a * y * x ^ (y - 1), a * n * log x   (n = x ^ y, reused; d/dy needs x > 0)
      case POW -> unbroadcast(i == 0
          ? g.mul(a, g.mul(y, g.pow(x, g.sub(y, one))))
          : g.mul(a, g.mul(n, g.log(x))), to);
      // d max(x, y) = a * [x >= y], a * (1 - [x >= y])   (ties go to x)
      case MAX -> unbroadcast(g.mul(a, mask(g.greaterEq(x, y), i)), to);
      // d min(x, y) = a * [y >= x], a * (1 - [y >= x])   (ties go to x)
      case MIN -> unbroadcast(g.mul(a, mask(g.greaterEq(y, x), i)), to);
      // piecewise constant; stop_gradient is a constant by definition
      case GREATER_EQ, STEP, SIGN, STOP_GRADIENT -> null;
      // d(-x) = -a
      case NEG -> g.neg(a);
      // d exp x = a * n
      case EXP -> g.mul(a, n);
      // d log x = a / x
      case LOG -> g.div(a, x);
      // d sqrt x = a / (2 * n)
      case SQRT -> g.div(a, g.mul(g.number(2), n));
      // d |x| = a * sign(x)        (abs'(0) = 0)
      case ABS -> g.mul(a, g.sign(x));
      // d sin x = a * cos x
      case SIN -> g.mul(a, g.cos(x));
      // d cos x = -(a * sin x)
      case COS -> g.neg(g.mul(a, g.sin(x)));
      // d tanh x = a * (1 - n * n)
      case TANH -> g.mul(a, g.sub(one, g.mul(n, n)));
      // d sigmoid x = a * (n * (1 - n))
      case SIGMOID -> g.mul(a, g.mul(n, g.sub(one, n)));
      // d relu x = a * step(n)     (relu'(0) = 0)
      case RELU -> g.mul(a, g.step(n));
      // d softplus x = a * sigmoid(x)
      case SOFTPLUS -> g.mul(a, g.sigmoid(x));
      // d gelu x = a * (0.5 (1 + t) + 0.5 x (1 - t²) √(2/π) (1 + 3 · 0.044715 x²)),
      //   t = tanh(√(2/π) (x + 0.044715 x³))
      case GELU -> g.mul(a, geluSlope(x));
    };
  }

  /** The vector-Jacobian products of reshape and the window ops, all linear in their last input. */
  private Node windowVjp(Node n, int i, Node a) {
    Node x = n.input(0);
    return switch (n.op()) {
      // reshaping moves no element: the adjoint takes the input's shape back
      case RESHAPE -> g.reshape(a, x.shape());
      // im2col and col2im are each other's adjoint, and so are avg_pool and avg_unpool
      case IM2COL -> g.col2im(a, n.window());
      case COL2IM -> g.im2col(a, n.window());
      case AVG_POOL -> g.avgUnpool(a, n.window());
      case AVG_UNPOOL -> g.avgPool(a, n.window());
      // max_pool(x, h) picks h where x is largest: a goes back to the first maximum of each
      // window (max pooling is max_pool(x, x)); the choice of the maximum is piecewise constant
      case MAX_POOL -> i == 0 ? null : g.maxUnpool(x, a, n.window());
      case MAX_UNPOOL -> i == 0 ? null : g.maxPool(x, a, n.window());
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE, UNARY, BINARY, TRANSPOSE, INDEX, PLACE,
          BROADCAST, CUSTOM, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX, LOG_SOFTMAX, LOGSUMEXP,
          BATCH_SUM, BATCH_MEAN -> throw new IllegalStateException("not a window op: " + n.op());
    };
  }

  /** gelu'(x) of the tanh form, from x (PyTorch's {@code gelu_backward(approximate='tanh')}). */
  private Node geluSlope(Node x) {
    Node beta = g.number(Math.sqrt(2.0) * (2.0 / Math.sqrt(Math.PI)) * 0.5);
    Node kappa = g.number(0.044715);
    Node half = g.number(0.5);
    Node one = g.number(1);
    Node xx = g.mul(x, x);
    Node t = g.tanh(g.mul(beta, g.add(x, g.mul(kappa, g.mul(xx, x)))));
    Node inner = g.mul(beta, g.add(one, g.mul(g.number(3 * 0.044715), xx)));
    return g.add(g.mul(half, g.add(one, t)),
        g.mul(g.mul(g.mul(half, x), g.sub(one, g.mul(t, t))), inner));
  }

  private Node mask(Node firstWins, int i) {
    return i == 0 ? firstWins : g.sub(g.number(1), firstWins);
  }

  private Node matmulVjp(Node x, Node y, Node a, int i) {
    if (x.shape().rank() == 1) {
      // [n] @ [n, m]: dx = y @ a, dy = outer(x, a)
      return i == 0 ? g.matmul(y, a) : g.outer(x, a);
    }
    if (y.shape().rank() == 1) {
      // [m, n] @ [n]: dx = outer(a, y), dy = a @ x
      return i == 0 ? g.outer(a, y) : g.matmul(a, x);
    }
    // [m, n] @ [n, k]: dx = a @ y^T, dy = x^T @ a
    return i == 0 ? g.matmul(a, g.transpose(y)) : g.matmul(g.transpose(x), a);
  }
}
