package org.gradc.simplify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gradc.diff.Gradients;
import org.gradc.ir.MathPrinter;
import org.gradc.ir.Node;

/**
 * Prints simplified gradients as readable math: one line {@code dL/dP = …} per parameter, with
 * the error signal {@code δ_name} of every named intermediate value the gradients use on a line
 * of its own, and other shared subexpressions as δ1, δ2, ….
 */
public final class GradientPrinter {
  private GradientPrinter() {}

  /**
   * @param grads simplified gradients (from {@link Simplifier#gradients})
   * @param names DSL names of forward nodes (params, inputs and named intermediates)
   */
  public static String print(Gradients grads, Map<Node, String> names, MathPrinter.Style style) {
    Map<Node, String> defined = new LinkedHashMap<>();
    for (Map.Entry<Node, String> e : names.entrySet()) {
      Node adjoint = grads.adjoints().get(e.getKey());
      if (adjoint != null && !e.getKey().op().isLeaf() && !names.containsKey(adjoint)
          && !adjoint.op().isLeaf()) {
        defined.putIfAbsent(adjoint, "δ_" + e.getValue());
      }
    }
    Map<String, Node> roots = new LinkedHashMap<>();
    grads.gradients().forEach((p, g) -> roots.put("dL/d" + names.getOrDefault(p, p.name()), g));
    return new MathPrinter(names, defined, style).print(roots);
  }

  /**
   * Lines {@code ∂²L/∂a∂b = …} for labelled Hessian entries, shared subexpressions first.
   *
   * @param entries each entry's label and its simplified node
   * @param names DSL names of forward nodes
   * @param style Unicode or LaTeX
   * @return the text
   */
  public static String printEntries(Map<String, Node> entries, Map<Node, String> names,
      MathPrinter.Style style) {
    return new MathPrinter(names, Map.of(), style).print(entries);
  }
}
