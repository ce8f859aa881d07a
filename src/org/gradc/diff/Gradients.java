package org.gradc.diff;

import java.util.Map;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;

/**
 * The result of differentiating a per-example loss.
 *
 * @param graph the graph holding every node below, forward and backward (immutable; a later phase
 *     forks it to build on these nodes)
 * @param loss the per-example scalar loss that was differentiated
 * @param objective the batch mean of the loss (the loss itself when it is unbatched)
 * @param gradients for each parameter, in the order given, the gradient of the objective: an
 *     unbatched node of the parameter's shape
 * @param adjoints for every node the loss depends on through a parameter, the node holding
 *     d(sum of per-example losses)/d(node) before the division by B (error signals, for printing)
 */
public record Gradients(Graph graph,
    Node loss, Node objective, Map<Node, Node> gradients, Map<Node, Node> adjoints) {
  public Gradients {
    gradients = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gradients));
    adjoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(adjoints));
  }

  public Node gradient(Node param) {
    Node g = gradients.get(param);
    if (g == null) {
      throw new IllegalArgumentException("not a differentiated parameter: " + param);
    }
    return g;
  }
}
