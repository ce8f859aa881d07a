package org.gradc.ir;

import java.util.List;
import java.util.Map;

/**
 * Graphviz DOT text for the nodes reachable from a set of roots, in creation order. Batched
 * nodes are drawn with a double border; roots are boxes labelled with their names.
 */
public final class DotWriter {
  private DotWriter() {}

  public static String write(Map<String, Node> roots, Map<Node, String> names) {
    StringBuilder sb = new StringBuilder("digraph gradc {\n  rankdir=BT;\n  node [shape=ellipse];\n");
    List<Node> all = Graph.topological(List.copyOf(roots.values()));
    for (Node n : all) {
      String label = switch (n.op()) {
        case INPUT, TARGET, PARAM, CONST -> n.op().text() + " " + n.name();
        case NUMBER -> Numbers.format(n.value());
        case INDEX, PLACE -> n.op().text() + " " + n.index();
        default -> n.op().text();
      };
      if (names.containsKey(n)) {
        label = names.get(n) + " = " + label;
      }
      label += "\\n" + n.shape() + (n.batched() ? " ×B" : "");
      sb.append("  n").append(n.id()).append(" [label=\"").append(escape(label)).append('"');
      if (n.batched()) {
        sb.append(", peripheries=2");
      }
      sb.append("];\n");
    }
    for (Node n : all) {
      for (Node in : n.inputs()) {
        sb.append("  n").append(in.id()).append(" -> n").append(n.id()).append(";\n");
      }
    }
    for (Map.Entry<String, Node> e : roots.entrySet()) {
      String id = "r_" + e.getKey().replaceAll("[^A-Za-z0-9_]", "_");
      sb.append("  ").append(id).append(" [shape=box, label=\"").append(escape(e.getKey()))
          .append("\"];\n  n").append(e.getValue().id()).append(" -> ").append(id).append(";\n");
    }
    return sb.append("}\n").toString();
  }

  private static String escape(String s) {
    return s.replace("\"", "\\\"");
  }
}
