package org.gradc.simplify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.diff.Gradients;
import org.gradc.ir.Builtins;
import org.gradc.ir.DotWriter;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.ir.Numbers;
import org.gradc.ir.Shape;
import org.junit.jupiter.api.Test;

class PrinterTest {
  record Xor(GraphBuilder g, Gradients grads, Map<Node, String> names) {}

  static Xor xor() {
    GraphBuilder g = new GraphBuilder();
    Map<Node, String> names = new LinkedHashMap<>();
    Node x = g.input("x", Shape.of(2));
    Node y = g.target("y", Shape.of(1));
    Node w1 = g.param("W1", Shape.of(2, 4));
    Node b1 = g.param("b1", Shape.of(4));
    Node w2 = g.param("W2", Shape.of(4, 1));
    Node b2 = g.param("b2", Shape.of(1));
    Node h = g.sigmoid(g.add(g.matmul(x, w1), b1));
    Node yhat = g.sigmoid(g.add(g.matmul(h, w2), b2));
    for (Node n : List.of(x, y, w1, b1, w2, b2)) {
      names.put(n, n.name());
    }
    names.put(h, "h");
    names.put(yhat, "yhat");
    Node loss = Builtins.lookup("mse").orElseThrow().apply(g, List.of(yhat, y));
    Gradients gr = Simplifier.gradients(g.freeze(), loss, List.of(w1, b1, w2, b2));
    Map<Node, String> mapped = new LinkedHashMap<>();
    // names follow the simplified images of the forward nodes
    names.forEach((n, s) -> mapped.put(n, s));
    return new Xor(g, gr, mapped);
  }

  @Test
  void dotOutput() {
    Xor m = xor();
    Map<String, Node> roots = new LinkedHashMap<>();
    roots.put("loss", m.grads().objective());
    String dot = DotWriter.write(roots, m.names());
    assertTrue(dot.startsWith("digraph gradc {"), dot);
    assertTrue(dot.contains("yhat = sigmoid\\n[1] ×B"), dot);
    assertTrue(dot.contains("r_loss [shape=box"), dot);
    assertEquals(dot, DotWriter.write(roots, m.names()));
  }

  @Test
  void numberText() {
    assertEquals("2", Numbers.format(2));
    assertEquals("0.1", Numbers.format(0.1));
    assertEquals("-0.25", Numbers.format(-0.25));
    assertEquals("0.3333333333333333", Numbers.format(1.0 / 3));
    assertEquals("1E-300", Numbers.format(1e-300));
  }
}
