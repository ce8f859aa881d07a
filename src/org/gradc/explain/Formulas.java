package org.gradc.explain;

import java.util.HashMap;
import java.util.Map;
import org.gradc.ir.Node;

/** Labelled formulas outside the story (the Hessian of {@code gradc grad --order 2}), in its notation. */
public final class Formulas {
  private Formulas() {}

  /**
   * One line {@code LABEL = …} per entry, each long or shared subexpression first on a line of
   * its own as {@code τ1 = …}, printed by the one math printer.
   *
   * @param entries each line's label (in the chosen style) and its node
   * @param names DSL names of forward nodes
   * @param latex LaTeX instead of Unicode
   * @return the lines
   */
  public static String lines(Map<String, Node> entries, Map<Node, String> names, boolean latex) {
    Map<Node, ExprPrinter.Sym> syms = new HashMap<>();
    names.forEach((n, s) -> syms.put(n, new ExprPrinter.Sym(s, Explainer.texIdent(s), false)));
    ExprPrinter p = new ExprPrinter(syms, null, latex, false);
    StringBuilder sb = new StringBuilder();
    int k = 0;
    for (Map.Entry<String, Node> e : entries.entrySet()) {
      for (Node shared : p.toName(e.getValue(), n -> false)) {
        k++;
        ExprPrinter.Sym tau = new ExprPrinter.Sym("τ" + k, "\\tau_{" + k + "}", false);
        sb.append(p.name(tau)).append(" = ").append(p.define(shared)).append('\n');
        syms.put(shared, tau);
      }
      sb.append(e.getKey()).append(" = ").append(p.define(e.getValue())).append('\n');
    }
    return sb.toString();
  }
}
