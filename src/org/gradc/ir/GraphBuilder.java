package org.gradc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node factory of one expression graph, growing a frozen {@link Graph}: a phase forks the
 * graph it reads ({@link Graph#fork()}), builds its nodes here and {@link #freeze()}s the result.
 * Every factory method checks the op's shape rule (throwing {@link ShapeException}) and returns the
 * existing node when an equal one was built before (hash-consing), so common subexpressions are
 * shared by construction. Factory methods do not simplify; that is the job of
 * {@code simplify.Simplifier}. Not thread-safe: one builder per phase run.
 *
 * <p>Broadcasting of elementwise ops: equal shapes; a scalar against any shape; a vector [n]
 * against a matrix [m, n] (over rows). A batched operand combines with an unbatched one, and the
 * result is batched if any input is.
 */
public final class GraphBuilder {
  private final Map<Graph.Key, Node> interned;
  private int nextId;

  /** An empty graph. */
  public GraphBuilder() {
    this(Map.of(), 0);
  }

  GraphBuilder(Map<Graph.Key, Node> interned, int nextId) {
    this.interned = new HashMap<>(interned);
    this.nextId = nextId;
  }

  /**
   * The nodes built so far, as an immutable graph; this builder may go on growing its own copy.
   *
   * @return the frozen graph
   */
  public Graph freeze() {
    return new Graph(interned, nextId);
  }

  private Node intern(Op op, List<Node> inputs, Shape shape, boolean batched, Object attr) {
    if (shape.rank() > Shape.MAX_RANK) {
      throw new ShapeException("rank " + shape.rank() + " is not supported; the most is "
          + Shape.MAX_RANK);
    }
    for (int d : shape.dims()) {
      if (d == 0) {
        throw new ShapeException("shape " + shape + " has a zero dimension");
      }
    }
    if (shape.elements() > Shape.MAX_ELEMENTS) {
      throw new ShapeException("shape " + shape + " has " + shape.elements()
          + " elements; the most one value may have is " + Shape.MAX_ELEMENTS);
    }
    for (Node in : inputs) {
      if (interned.get(Graph.key(in)) != in) {
        throw new IllegalArgumentException("node " + in + " belongs to another graph");
      }
    }
    Graph.Key key = new Graph.Key(op, List.copyOf(inputs), shape, attr);
    Node existing = interned.get(key);
    if (existing != null) {
      return existing;
    }
    Node n = new Node(op, key.inputs(), shape, batched, attr, nextId++);
    interned.put(key, n);
    return n;
  }

  /** Number of distinct nodes ever built in this graph. */
  public int size() {
    return interned.size();
  }

  // ---- leaves ----

  public Node input(String name, Shape s) {
    return intern(Op.INPUT, List.of(), s, true, name);
  }

  public Node target(String name, Shape s) {
    return intern(Op.TARGET, List.of(), s, true, name);
  }

  public Node param(String name, Shape s) {
    return intern(Op.PARAM, List.of(), s, false, name);
  }

  public Node constant(String name, Shape s, double[] rowMajorValues) {
    if (rowMajorValues.length != s.size()) {
      throw new ShapeException(
          "constant '" + name + "' of shape " + s + " needs " + s.size() + " values, but has "
              + rowMajorValues.length);
    }
    return intern(Op.CONST, List.of(), s, false, new Graph.ConstAttr(name, rowMajorValues.clone()));
  }

  public Node number(double v) {
    return intern(Op.NUMBER, List.of(), Shape.SCALAR, false, v);
  }

  /** The run-time batch size B as an unbatched scalar. */
  public Node batchSize() {
    return intern(Op.BATCH_SIZE, List.of(), Shape.SCALAR, false, null);
  }

  // ---- elementwise binary ----

  public Node add(Node a, Node b) {
    return binary(Fn.ADD, a, b);
  }

  public Node sub(Node a, Node b) {
    return binary(Fn.SUB, a, b);
  }

  public Node mul(Node a, Node b) {
    return binary(Fn.MUL, a, b);
  }

  public Node div(Node a, Node b) {
    return binary(Fn.DIV, a, b);
  }

  public Node max(Node a, Node b) {
    return binary(Fn.MAX, a, b);
  }

  public Node min(Node a, Node b) {
    return binary(Fn.MIN, a, b);
  }

  /** 1 where a >= b, else 0. */
  public Node greaterEq(Node a, Node b) {
    return binary(Fn.GREATER_EQ, a, b);
  }

  /** a ^ b, broadcasting like the other binary operators. */
  public Node pow(Node a, Node b) {
    return binary(Fn.POW, a, b);
  }

  /** Any two-argument function of {@link Fn}, with broadcasting. */
  public Node binary(Fn f, Node a, Node b) {
    if (f.arity() != 2) {
      throw new IllegalArgumentException(f + " is not a two-argument function");
    }
    return intern(Op.BINARY, List.of(a, b), Graph.broadcastShape(a.shape(), b.shape()),
        a.batched() || b.batched(), f);
  }

  // ---- elementwise unary ----

  public Node neg(Node a) {
    return unary(Fn.NEG, a);
  }

  public Node exp(Node a) {
    return unary(Fn.EXP, a);
  }

  public Node log(Node a) {
    return unary(Fn.LOG, a);
  }

  public Node sqrt(Node a) {
    return unary(Fn.SQRT, a);
  }

  public Node abs(Node a) {
    return unary(Fn.ABS, a);
  }

  public Node sin(Node a) {
    return unary(Fn.SIN, a);
  }

  public Node cos(Node a) {
    return unary(Fn.COS, a);
  }

  public Node tanh(Node a) {
    return unary(Fn.TANH, a);
  }

  public Node sigmoid(Node a) {
    return unary(Fn.SIGMOID, a);
  }

  public Node relu(Node a) {
    return unary(Fn.RELU, a);
  }

  public Node softplus(Node a) {
    return unary(Fn.SOFTPLUS, a);
  }

  /** 1 where a > 0, else 0. */
  public Node step(Node a) {
    return unary(Fn.STEP, a);
  }

  /** -1, 0 or 1. */
  public Node sign(Node a) {
    return unary(Fn.SIGN, a);
  }

  /** Any one-argument function of {@link Fn}. */
  public Node unary(Fn f, Node a) {
    if (f.arity() != 1) {
      throw new IllegalArgumentException(f + " is not a one-argument function");
    }
    return intern(Op.UNARY, List.of(a), a.shape(), a.batched(), f);
  }

  // ---- structure ----

  /** [m, n] -> [n, m]; a scalar or vector is returned unchanged. */
  public Node transpose(Node a) {
    if (a.shape().rank() < 2) {
      return a;
    }
    return intern(Op.TRANSPOSE, List.of(a), a.shape().transposed(), a.batched(), null);
  }

  /** v[i] on [n] gives a scalar; m[i] on [m, n] gives row i, shape [n]. */
  public Node index(Node a, int i) {
    Shape s = a.shape();
    if (s.isScalar()) {
      throw new ShapeException("cannot index a scalar");
    }
    if (i < 0 || i >= s.dim(0)) {
      throw new ShapeException("index " + i + " is out of range for shape " + s);
    }
    Shape out = s.rank() == 1 ? Shape.SCALAR : Shape.of(s.dim(1));
    return intern(Op.INDEX, List.of(a), out, a.batched(), i);
  }

  /** A zero tensor of shape {@code into} with {@code x} at index i (the adjoint of index). */
  public Node place(Node x, int i, Shape into) {
    if (into.isScalar() || i < 0 || i >= into.dim(0)) {
      throw new ShapeException("index " + i + " is out of range for shape " + into);
    }
    Shape row = into.rank() == 1 ? Shape.SCALAR : Shape.of(into.dim(1));
    if (!x.shape().equals(row)) {
      throw new ShapeException("cannot place " + x.shape() + " into a row of " + into);
    }
    return intern(Op.PLACE, List.of(x), into, x.batched(), i);
  }

  /** Replicates a scalar to {@code to}, or a vector [n] to the rows of [m, n]. */
  public Node broadcast(Node a, Shape to) {
    if (a.shape().equals(to)) {
      return a;
    }
    if (!Graph.broadcastShape(a.shape(), to).equals(to)) {
      throw new ShapeException("cannot broadcast " + a.shape() + " to " + to);
    }
    return intern(Op.BROADCAST, List.of(a), to, a.batched(), to);
  }

  /** The elements of {@code a} in shape {@code to} of the same size, row-major order kept. */
  public Node reshape(Node a, Shape to) {
    if (a.shape().equals(to)) {
      return a;
    }
    if (a.shape().size() != to.size()) {
      throw new ShapeException("cannot reshape " + a.shape() + " to " + to);
    }
    return intern(Op.RESHAPE, List.of(a), to, a.batched(), to);
  }

  // ---- sliding windows ----

  /** [C, H, W] -> [P, C·K·K], the windows of {@code w} as rows. */
  public Node im2col(Node x, Window w) {
    requireShape(x, w.image(), "im2col");
    return intern(Op.IM2COL, List.of(x), w.columns(), x.batched(), w);
  }

  /** [P, C·K·K] -> [C, H, W], the adjoint of {@link #im2col}. */
  public Node col2im(Node c, Window w) {
    requireShape(c, w.columns(), "col2im");
    return intern(Op.COL2IM, List.of(c), w.image(), c.batched(), w);
  }

  /** h at the first maximum of x in each window of {@code w}, per channel: [C, OH, OW]. */
  public Node maxPool(Node x, Node h, Window w) {
    requireShape(x, w.image(), "max_pool");
    requireShape(h, w.image(), "max_pool");
    return intern(Op.MAX_POOL, List.of(x, h), w.pooled(), x.batched() || h.batched(), w);
  }

  /** g [C, OH, OW] sent to the first maximum of x in each window: [C, H, W]. */
  public Node maxUnpool(Node x, Node g, Window w) {
    requireShape(x, w.image(), "max_unpool");
    requireShape(g, w.pooled(), "max_unpool");
    return intern(Op.MAX_UNPOOL, List.of(x, g), w.image(), x.batched() || g.batched(), w);
  }

  /** The mean of each window of {@code w}, per channel: [C, OH, OW]. */
  public Node avgPool(Node x, Window w) {
    requireShape(x, w.image(), "avg_pool");
    return intern(Op.AVG_POOL, List.of(x), w.pooled(), x.batched(), w);
  }

  /** The adjoint of {@link #avgPool}: [C, OH, OW] -> [C, H, W]. */
  public Node avgUnpool(Node g, Window w) {
    requireShape(g, w.pooled(), "avg_unpool");
    return intern(Op.AVG_UNPOOL, List.of(g), w.image(), g.batched(), w);
  }

  private static void requireShape(Node n, Shape want, String op) {
    if (!n.shape().equals(want)) {
      throw new ShapeException(op + " needs shape " + want + ", but has " + n.shape());
    }
  }

  // ---- reductions and products ----

  /** Sum of all elements (per example) -> scalar. */
  public Node sum(Node a) {
    return intern(Op.SUM, List.of(a), Shape.SCALAR, a.batched(), null);
  }

  /** [m, n] -> [n], summing over the rows. */
  public Node sumRows(Node a) {
    if (a.shape().rank() != 2) {
      throw new ShapeException("sum over rows needs a matrix, but has shape " + a.shape());
    }
    return intern(Op.SUM_ROWS, List.of(a), Shape.of(a.shape().dim(1)), a.batched(), null);
  }

  public Node matmul(Node a, Node b) {
    Shape sa = a.shape();
    Shape sb = b.shape();
    String both = sa + " @ " + sb + ": ";
    if (sa.isScalar() || sb.isScalar()) {
      throw new ShapeException(both + "matrix product needs vectors or matrices; use * for scalars");
    }
    if (sa.rank() == 1 && sb.rank() == 1) {
      throw new ShapeException(both + "matrix product of two vectors; use dot(a, b)");
    }
    int inner = sa.dim(sa.rank() - 1);
    if (inner != sb.dim(0)) {
      throw new ShapeException(
          both + "inner dimensions " + inner + " and " + sb.dim(0) + " differ");
    }
    Shape out;
    if (sa.rank() == 1) {
      out = Shape.of(sb.dim(1));
    } else if (sb.rank() == 1) {
      out = Shape.of(sa.dim(0));
    } else {
      out = Shape.of(sa.dim(0), sb.dim(1));
    }
    return intern(Op.MATMUL, List.of(a, b), out, a.batched() || b.batched(), null);
  }

  /** [n] x [m] -> [n, m]. */
  public Node outer(Node a, Node b) {
    if (a.shape().rank() != 1 || b.shape().rank() != 1) {
      throw new ShapeException("outer product needs two vectors, but has shapes " + a.shape()
          + " and " + b.shape());
    }
    return intern(Op.OUTER, List.of(a, b), Shape.of(a.shape().dim(0), b.shape().dim(0)),
        a.batched() || b.batched(), null);
  }

  // ---- along the last axis ----

  public Node softmax(Node a) {
    return lastAxis(Op.SOFTMAX, a, a.shape());
  }

  public Node logSoftmax(Node a) {
    return lastAxis(Op.LOG_SOFTMAX, a, a.shape());
  }

  /** [n] -> scalar; [m, n] -> [m] (row-wise). */
  public Node logsumexp(Node a) {
    Shape s = a.shape();
    return lastAxis(Op.LOGSUMEXP, a, s.rank() == 2 ? Shape.of(s.dim(0)) : Shape.SCALAR);
  }

  private Node lastAxis(Op op, Node a, Shape out) {
    if (a.shape().isScalar()) {
      throw new ShapeException(op.text() + " needs a vector or matrix, but has shape []");
    }
    return intern(op, List.of(a), out, a.batched(), null);
  }

  /** Sum over the last axis: [n] -> scalar, [m, n] -> [m]. */
  public Node sumLast(Node a) {
    return a.shape().rank() == 2 ? sumRows(transpose(a)) : sum(a);
  }

  /** Replicates a last-axis reduction back to {@code full}: the inverse shape of sumLast. */
  public Node expandLast(Node reduced, Shape full) {
    if (full.rank() == 2) {
      return transpose(broadcast(reduced, Shape.of(full.dim(1), full.dim(0))));
    }
    return broadcast(reduced, full);
  }

  // ---- over the batch ----

  public Node batchSum(Node a) {
    requireBatched(a);
    return intern(Op.BATCH_SUM, List.of(a), a.shape(), false, null);
  }

  public Node batchMean(Node a) {
    requireBatched(a);
    return intern(Op.BATCH_MEAN, List.of(a), a.shape(), false, null);
  }

  /**
   * The value of {@code body} with a derivative rule for the arguments it was built from.
   *
   * @param body the forward body, built from {@code args}
   * @param args the def's arguments, one per parameter
   * @param rule the rule differentiation uses for them
   * @return the marked node
   */
  public Node custom(Node body, List<Node> args, CustomRule rule) {
    List<Node> in = new ArrayList<>();
    in.add(body);
    in.addAll(args);
    return intern(Op.CUSTOM, List.copyOf(in), body.shape(), body.batched(), rule);
  }

  /** The rule of a CUSTOM node. */
  public static CustomRule rule(Node n) {
    if (n.op() != Op.CUSTOM) {
      throw new IllegalStateException(n.op() + " has no derivative rule");
    }
    return (CustomRule) n.attr();
  }

  private static void requireBatched(Node a) {
    if (!a.batched()) {
      throw new IllegalArgumentException("batch reduction of an unbatched value " + a);
    }
  }

  // ---- generic ----

  /**
   * Builds a node like {@code n} (same op and attributes) on new inputs, rechecking shapes. Leaves
   * are returned unchanged.
   */
  public Node rebuild(Node n, List<Node> in) {
    if (in.equals(n.inputs())) {
      return n;
    }
    return switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST, NUMBER, BATCH_SIZE -> n;
      case UNARY -> unary(n.fn(), in.get(0));
      case BINARY -> binary(n.fn(), in.get(0), in.get(1));
      case TRANSPOSE -> transpose(in.get(0));
      case RESHAPE -> reshape(in.get(0), n.shape());
      case IM2COL -> im2col(in.get(0), n.window());
      case COL2IM -> col2im(in.get(0), n.window());
      case MAX_POOL -> maxPool(in.get(0), in.get(1), n.window());
      case MAX_UNPOOL -> maxUnpool(in.get(0), in.get(1), n.window());
      case AVG_POOL -> avgPool(in.get(0), n.window());
      case AVG_UNPOOL -> avgUnpool(in.get(0), n.window());
      case INDEX -> index(in.get(0), n.index());
      case PLACE -> place(in.get(0), n.index(), n.shape());
      case BROADCAST -> broadcast(in.get(0), n.shape());
      case CUSTOM -> custom(in.get(0), in.subList(1, in.size()), rule(n));
      case SUM -> sum(in.get(0));
      case SUM_ROWS -> sumRows(in.get(0));
      case MATMUL -> matmul(in.get(0), in.get(1));
      case OUTER -> outer(in.get(0), in.get(1));
      case SOFTMAX -> softmax(in.get(0));
      case LOG_SOFTMAX -> logSoftmax(in.get(0));
      case LOGSUMEXP -> logsumexp(in.get(0));
      case BATCH_SUM -> in.get(0).batched() ? batchSum(in.get(0)) : mul(in.get(0), batchSize());
      case BATCH_MEAN -> in.get(0).batched() ? batchMean(in.get(0)) : in.get(0);
    };
  }
}
