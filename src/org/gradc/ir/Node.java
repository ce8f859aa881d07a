package org.gradc.ir;

import java.util.List;

/**
 * One immutable, interned node of the expression graph: an op applied to input nodes, with a
 * static per-example {@link Shape} and a flag telling whether it carries the implicit batch axis.
 * Nodes are created only by a {@link Graph}, which returns the existing instance for an equal
 * node, so identity ({@code ==}) is structural equality within one graph. Names of intermediate
 * values and source positions are not part of a node; keep them in side tables.
 */
public final class Node {
  private final Op op;
  private final List<Node> inputs;
  private final Shape shape;
  private final boolean batched;
  private final Object attr;
  private final int id;

  Node(Op op, List<Node> inputs, Shape shape, boolean batched, Object attr, int id) {
    this.op = op;
    this.inputs = inputs;
    this.shape = shape;
    this.batched = batched;
    this.attr = attr;
    this.id = id;
  }

  public Op op() {
    return op;
  }

  public List<Node> inputs() {
    return inputs;
  }

  public Node input(int i) {
    return inputs.get(i);
  }

  public Shape shape() {
    return shape;
  }

  /** True for per-example values (leading batch axis at run time). */
  public boolean batched() {
    return batched;
  }

  /**
   * Creation order within its graph. Inputs are always created before their users, so sorting by
   * id is a topological order.
   */
  public int id() {
    return id;
  }

  /** Leaf name of INPUT, TARGET, PARAM and CONST nodes. */
  public String name() {
    if (attr instanceof String s) {
      return s;
    }
    if (attr instanceof Graph.ConstAttr c) {
      return c.name();
    }
    throw new IllegalStateException(op + " has no name");
  }

  /** The function of a UNARY or BINARY node. */
  public Fn fn() {
    if (!(attr instanceof Fn f)) {
      throw new IllegalStateException(op + " is not elementwise");
    }
    return f;
  }

  /** True when this node applies {@code f} (a UNARY or BINARY node with that function). */
  public boolean is(Fn f) {
    return attr == f;
  }

  /** Value of a NUMBER node. */
  public double value() {
    if (op != Op.NUMBER) {
      throw new IllegalStateException(op + " is not a number");
    }
    return (Double) attr;
  }

  /** Index of INDEX and PLACE nodes. */
  public int index() {
    if (op != Op.INDEX && op != Op.PLACE) {
      throw new IllegalStateException(op + " has no index");
    }
    return (Integer) attr;
  }

  /** The windows of a {@link Op.Kind#WINDOW} node. */
  public Window window() {
    if (!(attr instanceof Window w)) {
      throw new IllegalStateException(op + " has no window");
    }
    return w;
  }

  /** Row-major values of a CONST node (a copy). */
  public double[] constantValues() {
    if (op != Op.CONST) {
      throw new IllegalStateException(op + " is not a constant");
    }
    return ((Graph.ConstAttr) attr).values().clone();
  }

  public boolean isNumber(double v) {
    return op == Op.NUMBER && Double.compare((Double) attr, v) == 0;
  }

  Object attr() {
    return attr;
  }

  @Override
  public String toString() {
    String head = switch (op) {
      case INPUT, TARGET, PARAM, CONST -> op.text() + " " + name();
      case NUMBER -> op.text() + " " + attr;
      case INDEX, PLACE -> op.text() + "[" + attr + "]";
      case IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL -> op.text() + " " + attr;
      case UNARY, BINARY -> fn().text();
      case BATCH_SIZE, TRANSPOSE, BROADCAST, CUSTOM, RESHAPE, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX,
          LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN -> op.text();
    };
    StringBuilder sb = new StringBuilder("%").append(id).append(" = ").append(head);
    for (Node in : inputs) {
      sb.append(" %").append(in.id);
    }
    return sb.append(" : ").append(shape).append(batched ? " batched" : "").toString();
  }
}
