package org.gradc.simplify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.diff.Differentiator;
import org.gradc.diff.Gradients;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;

/**
 * Rewrites a set of roots to a fixpoint of the {@link Rules}. In: a graph builder and root nodes.
 * Out: equivalent roots built in that builder, a trace of the rules that fired, and the image of every
 * visited node. Common subexpressions are shared by the graph's hash-consing (CSE) and only nodes
 * reachable from the returned roots matter afterwards (DCE: use {@link Graph#topological}).
 *
 * <p>Each pass walks the nodes reachable from the roots inputs-first, rebuilds each on its
 * simplified inputs and applies the rules to it until none fires; passes repeat until the roots
 * no longer change.
 */
public final class Simplifier {
  private static final int MAX_PASSES = 50;
  private static final int MAX_REWRITES_PER_NODE = 100;

  /** The simplified roots, the trace ("rule: before -> after" ids) and the node mapping. */
  public record Result(List<Node> roots, List<String> trace, Map<Node, Node> mapping) {
    /** The simplified image of a node that was reachable from the original roots. */
    public Node map(Node original) {
      Node n = mapping.get(original);
      return n == null ? original : n;
    }

    /** How often each rule fired, in order of first firing. */
    public Map<String, Integer> ruleCounts() {
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (String t : trace) {
        counts.merge(t.substring(0, t.indexOf(':')), 1, Integer::sum);
      }
      return counts;
    }
  }

  private Simplifier() {}

  public static Result simplify(GraphBuilder g, List<Node> roots) {
    return simplify(g, roots, Rules.ALL);
  }

  private static Result simplify(GraphBuilder g, List<Node> roots, List<Rule> rules) {
    Map<Node, Node> total = new HashMap<>();
    List<String> trace = new ArrayList<>();
    List<Node> current = List.copyOf(roots);
    for (Node r : Graph.topological(roots)) {
      total.put(r, r);
    }
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Map<Node, Node> step = pass(g, current, rules, trace);
      List<Node> next = new ArrayList<>();
      for (Node r : current) {
        next.add(step.get(r));
      }
      total.replaceAll((k, v) -> step.getOrDefault(v, v));
      boolean changed = !next.equals(current);
      current = next;
      if (!changed) {
        break;
      }
    }
    return new Result(List.copyOf(current), List.copyOf(trace), total);
  }

  private static Map<Node, Node> pass(GraphBuilder g, List<Node> roots, List<Rule> rules,
      List<String> trace) {
    Map<Node, Node> image = new HashMap<>();
    for (Node n : Graph.topological(roots)) {
      List<Node> in = new ArrayList<>(n.inputs().size());
      for (Node i : n.inputs()) {
        in.add(image.get(i));
      }
      Node m = g.rebuild(n, in);
      image.put(n, rewrite(g, m, rules, trace));
    }
    return image;
  }

  private static Node rewrite(GraphBuilder g, Node n, List<Rule> rules, List<String> trace) {
    Node cur = n;
    for (int k = 0; k < MAX_REWRITES_PER_NODE; k++) {
      Node next = null;
      for (Rule rule : rules) {
        Node r = rule.rewrite().apply(g, cur);
        if (r != null && r != cur) {
          if (!r.shape().equals(cur.shape())) {
            throw new IllegalStateException(rule.name() + " changed the shape of " + cur);
          }
          trace.add(rule.name() + ": %" + cur.id() + " -> %" + r.id());
          next = r;
          break;
        }
      }
      if (next == null) {
        return cur;
      }
      cur = next;
    }
    return cur;
  }

  /**
   * The whole pipeline for a loss: stabilize and simplify the forward loss, differentiate, and
   * simplify the objective and gradients together. The returned loss and the keys of the
   * adjoints are the nodes as differentiated, the adjoints their simplified images. {@code g}
   * does not change: the result holds a graph of its own.
   *
   * @param g the graph of the loss
   * @param perExampleLoss the scalar loss of one example
   * @param params the parameters, in the order the gradients are listed
   * @return the simplified gradients and their graph
   */
  public static Gradients gradients(Graph g, Node perExampleLoss, List<Node> params) {
    GraphBuilder forward = g.fork();
    Node loss = simplify(forward, List.of(perExampleLoss), Rules.beforeDifferentiation())
        .roots().get(0);
    Gradients raw = Differentiator.differentiate(forward.freeze(), loss, params);
    List<Node> roots = new ArrayList<>();
    roots.add(raw.objective());
    roots.addAll(raw.gradients().values());
    GraphBuilder backward = raw.graph().fork();
    Result r = simplify(backward, roots);
    Map<Node, Node> grads = new LinkedHashMap<>();
    int i = 1;
    for (Node p : params) {
      grads.put(p, r.roots().get(i++));
    }
    Map<Node, Node> adjoints = new LinkedHashMap<>();
    // keyed by the nodes as differentiated, like the loss (a def with a rule is still marked)
    raw.adjoints().forEach((k, v) -> adjoints.put(k, r.map(v)));
    // the loss as differentiated: defs' derivative rules still marked, for differentiating again
    return new Gradients(backward.freeze(), loss, r.roots().get(0), grads, adjoints);
  }
}
