package org.gradc.sema;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.gradc.ast.Expr;

/** Walks over expressions without recursion, so the depth of an expression costs no stack. */
final class Exprs {
  private Exprs() {}

  /** The direct subexpressions, left to right. */
  static List<Expr> children(Expr e) {
    if (e instanceof Expr.Member m) {
      return List.of(m.target());
    }
    if (e instanceof Expr.Index i) {
      return List.of(i.target());
    }
    if (e instanceof Expr.Negate n) {
      return List.of(n.operand());
    }
    if (e instanceof Expr.Binary b) {
      return List.of(b.left(), b.right());
    }
    if (e instanceof Expr.Call c) {
      return c.args();
    }
    return List.of();
  }

  /**
   * Every expression under {@code root} (descending through {@code children}) in post-order:
   * subexpressions left to right, then the expression itself, as a recursive walk would visit them.
   */
  static List<Expr> postOrder(Expr root, Function<Expr, List<Expr>> children) {
    List<Expr> out = new ArrayList<>();
    List<Expr> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    List<List<Expr>> kids = new ArrayList<>();
    stack.add(root);
    next.add(0);
    kids.add(children.apply(root));
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      int i = next.get(top);
      List<Expr> k = kids.get(top);
      if (i == k.size()) {
        out.add(stack.remove(top));
        next.remove(top);
        kids.remove(top);
        continue;
      }
      next.set(top, i + 1);
      Expr child = k.get(i);
      stack.add(child);
      next.add(0);
      kids.add(children.apply(child));
    }
    return out;
  }
}
