package org.gradc.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable expression graph: the intern table of every node built in it. Phases never grow a
 * graph they are given; each {@link #fork()}s it into a {@link GraphBuilder}, builds its own nodes
 * there (sharing every existing node by hash-consing) and freezes the result, so one graph can be
 * read by any number of threads and forked by each of them at once.
 */
public final class Graph {
  /** The graph without nodes. */
  public static final Graph EMPTY = new Graph(Map.of(), 0);

  /** Attribute of CONST nodes; equal when name and values are equal. */
  record ConstAttr(String name, double[] values) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ConstAttr c && c.name.equals(name) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(values);
    }
  }

  /** What makes two nodes equal: op, inputs (by identity of interned nodes), shape, attribute. */
  record Key(Op op, List<Node> inputs, Shape shape, Object attr) {
    // Written out because every node built is hashed and compared here: the records' generated
    // methods run through method handles, slow until compiled, a tenth of a cold compile.
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.op == op && k.inputs.equals(inputs) && k.shape.equals(shape)
          && Objects.equals(k.attr, attr);
    }

    @Override
    public int hashCode() {
      return ((op.hashCode() * 31 + inputs.hashCode()) * 31 + shape.hashCode()) * 31
          + Objects.hashCode(attr);
    }
  }

  private final Map<Key, Node> interned;
  private final int nextId;

  Graph(Map<Key, Node> interned, int nextId) {
    this.interned = Map.copyOf(interned);
    this.nextId = nextId;
  }

  static Key key(Node n) {
    return new Key(n.op(), n.inputs(), n.shape(), n.attr());
  }

  /**
   * A builder holding every node of this graph, for a phase to add its own; this graph does not
   * change.
   *
   * @return a new builder
   */
  public GraphBuilder fork() {
    return new GraphBuilder(interned, nextId);
  }

  /**
   * Number of distinct nodes in this graph.
   *
   * @return the count
   */
  public int size() {
    return interned.size();
  }

  /**
   * Whether a node was built in this graph (or in the graph it was forked from).
   *
   * @param n any node
   * @return true when {@code n} is this graph's node
   */
  public boolean contains(Node n) {
    return interned.get(key(n)) == n;
  }

  /**
   * The result shape of broadcasting two operands.
   *
   * @param a the first operand's shape
   * @param b the second operand's shape
   * @return the broadcast shape
   * @throws ShapeException when the shapes do not broadcast
   */
  public static Shape broadcastShape(Shape a, Shape b) {
    if (a.equals(b) || b.isScalar()) {
      return a;
    }
    if (a.isScalar()) {
      return b;
    }
    if (a.rank() == 1 && b.rank() == 2 && b.dim(1) == a.dim(0)) {
      return b;
    }
    if (b.rank() == 1 && a.rank() == 2 && a.dim(1) == b.dim(0)) {
      return a;
    }
    throw new ShapeException("shapes " + a + " and " + b + " do not match");
  }

  /**
   * All nodes reachable from the roots, in topological order (inputs first), deterministic.
   *
   * @param roots the nodes to start from
   * @return every node they depend on, including themselves, by increasing id
   */
  public static List<Node> topological(Collection<Node> roots) {
    Set<Node> seen = new HashSet<>();
    Deque<Node> work = new ArrayDeque<>(roots);
    List<Node> out = new ArrayList<>();
    while (!work.isEmpty()) {
      Node n = work.pop();
      if (seen.add(n)) {
        out.add(n);
        work.addAll(n.inputs());
      }
    }
    out.sort(Comparator.comparingInt(Node::id));
    return out;
  }
}
