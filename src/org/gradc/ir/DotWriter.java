package org.gradc.ir;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graphviz DOT text for the nodes reachable from a set of roots, in creation order. Batched
 * nodes are drawn with a double border; roots are boxes labelled with their names; nodes of the
 * backward pass are dashed blue boxes. With values, every forward node is a record showing its
 * value for one example and its gradient ({@code data | grad}, as micrograd draws them), and a
 * legend says how to read the drawing.
 */
public final class DotWriter {
  private DotWriter() {}

  /**
   * What a drawing shows besides the structure of the graph.
   *
   * @param names the name of each node that has one (DSL names, {@code z1}, {@code δ2})
   * @param backward the nodes of the backward pass, drawn apart from the forward ones
   * @param data the printed value of a node for one example
   * @param grads the printed gradient of a forward node ({@code δ1 = [-0.010, 0.006]})
   */
  public record Labels(Map<Node, String> names, Set<Node> backward, Map<Node, String> data,
      Map<Node, String> grads) {
    public Labels {
      names = Map.copyOf(names);
      backward = Set.copyOf(backward);
      data = Map.copyOf(data);
      grads = Map.copyOf(grads);
    }
  }

  /** The graph with its DSL names alone. */
  public static String write(Map<String, Node> roots, Map<Node, String> names) {
    return write(roots, new Labels(names, Set.of(), Map.of(), Map.of()));
  }

  /** The graph drawn with {@code labels}. */
  public static String write(Map<String, Node> roots, Labels labels) {
    boolean values = !labels.data().isEmpty();
    StringBuilder sb = new StringBuilder("digraph gradc {\n  rankdir=BT;\n  node [shape=ellipse];\n");
    List<Node> all = Graph.topological(List.copyOf(roots.values()));
    for (Node n : all) {
      node(sb, n, labels, values);
    }
    for (Node n : all) {
      for (Node in : n.inputs()) {
        sb.append("  n").append(in.id()).append(" -> n").append(n.id())
            .append(labels.backward().contains(n) ? " [style=dashed, color=\"#3366aa\"]" : "")
            .append(";\n");
      }
    }
    for (Map.Entry<String, Node> e : roots.entrySet()) {
      String id = "r_" + e.getKey().replaceAll("[^A-Za-z0-9_]", "_");
      sb.append("  ").append(id).append(" [shape=box, label=\"").append(escape(e.getKey()))
          .append("\"];\n  n").append(e.getValue().id()).append(" -> ").append(id).append(";\n");
    }
    if (values || !labels.backward().isEmpty()) {
      legend(sb, values, !labels.backward().isEmpty());
    }
    return sb.append("}\n").toString();
  }

  private static void node(StringBuilder sb, Node n, Labels labels, boolean values) {
    String label = switch (n.op()) {
      case INPUT, TARGET, PARAM, CONST -> n.op().text() + " " + n.name();
      case NUMBER -> Numbers.format(n.value());
      case INDEX, PLACE -> n.op().text() + " " + n.index();
      case IM2COL, COL2IM, MAX_POOL, MAX_UNPOOL, AVG_POOL, AVG_UNPOOL -> n.op().text() + " "
          + n.window().kernel() + "/" + n.window().stride();
      case UNARY, BINARY -> n.fn().text();
      case BATCH_SIZE, TRANSPOSE, BROADCAST, CUSTOM, RESHAPE, SUM, SUM_ROWS, MATMUL, OUTER, SOFTMAX,
          LOG_SOFTMAX, LOGSUMEXP, BATCH_SUM, BATCH_MEAN -> n.op().text();
    };
    String name = labels.names().get(n);
    if (name != null) {
      label = name + " = " + label;
    }
    label += "\n" + n.shape() + (n.batched() ? " ×B" : "");
    String data = labels.data().get(n);
    sb.append("  n").append(n.id());
    if (labels.backward().contains(n)) {
      sb.append(" [shape=box, style=\"dashed,filled\", fillcolor=\"#dde8f6\", color=\"#3366aa\","
          + " label=\"").append(escape(data == null ? label : label + "\ndata " + data))
          .append('"');
    } else if (values && n.op() != Op.NUMBER && n.op() != Op.BATCH_SIZE) {
      String grad = labels.grads().getOrDefault(n, "—");
      sb.append(" [shape=record, label=\"{").append(field(label)).append('|')
          .append(field("data " + (data == null ? "—" : data))).append('|')
          .append(field("grad " + grad)).append("}\"");
    } else {
      sb.append(" [label=\"").append(escape(label)).append('"');
    }
    if (n.batched()) {
      sb.append(", peripheries=2");
    }
    sb.append("];\n");
  }

  private static void legend(StringBuilder sb, boolean values, boolean backward) {
    sb.append("  subgraph cluster_legend {\n    label=\"legend\";\n    fontsize=10;\n");
    if (values) {
      sb.append("    legend_values [shape=record, label=\"{").append(field("name = op\n[shape]"))
          .append('|').append(field("data: the value for the first example"))
          .append('|').append(field("grad: ∂loss/∂value for that example (δk at zk);"
              + " dL/dθ of a parameter is the batch mean"))
          .append("}\"];\n");
    }
    sb.append("    legend_forward [label=\"forward node\\n(×B: one value per example)\"];\n");
    if (backward) {
      sb.append("    legend_backward [shape=box, style=\"dashed,filled\", fillcolor=\"#dde8f6\","
          + " color=\"#3366aa\", label=\"backward node\\n(error signals δk, gradients dL/dθ)\"];\n");
    }
    sb.append("  }\n");
  }

  /** Text of one field of a record label: the record syntax characters escaped. */
  private static String field(String s) {
    return escape(s).replaceAll("([{}|<>])", "\\\\$1");
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
