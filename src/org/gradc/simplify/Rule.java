package org.gradc.simplify;

import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;

/**
 * One rewrite rule: given a node whose inputs are already simplified, returns an equivalent node
 * or null when the rule does not apply.
 */
public record Rule(String name, Rewrite rewrite) {
  @FunctionalInterface
  public interface Rewrite {
    Node apply(GraphBuilder g, Node n);
  }
}
