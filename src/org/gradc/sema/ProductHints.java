package org.gradc.sema;

import java.util.function.Function;
import org.gradc.ast.Expr;
import org.gradc.ir.Shape;

/**
 * What a numpy or PyTorch user probably meant when {@code *} or {@code @} rejects its operands'
 * shapes: {@code x * W} that fits as a matrix product, or {@code W @ x} that fits the other way
 * round (the row convention {@code x @ W} against the column convention {@code W @ x}).
 */
final class ProductHints {
  /** Operands longer than this are not quoted in a hint. */
  private static final int MAX_QUOTED = 24;

  private ProductHints() {}

  /**
   * The hint to append to the shape error of {@code b}, "" when there is none.
   *
   * @param text the source text of an expression
   */
  static String hint(Expr.Binary b, Shape l, Shape r, Function<Expr, String> text) {
    String lt = operand(b.left(), text);
    String rt = operand(b.right(), text);
    boolean quoted = lt != null && rt != null;
    switch (b.op()) {
      case MUL -> {
        if (fits(l, r)) {
          return quoted ? "; did you mean " + lt + " @ " + rt + "? (* multiplies elementwise)"
              : "; did you mean @, the matrix product? (* multiplies elementwise)";
        }
      }
      case MATMUL -> {
        String transposed = r.rank() == 2 && fits(l, r.transposed()) ? lt + " @ " + rt + ".T"
            : l.rank() == 2 && fits(l.transposed(), r) ? lt + ".T @ " + rt : null;
        if (fits(r, l)) {
          return !quoted ? "; they fit the other way round, with the operands swapped"
              : "; they fit the other way round: " + rt + " @ " + lt
                  + (transposed == null ? "" : " (or " + transposed + ")");
        }
        if (transposed != null) {
          return quoted ? "; " + transposed + " fits" : "; they fit with one operand transposed";
        }
      }
      default -> {
        // other operators have no likely slip to point at
      }
    }
    return "";
  }

  /** Whether {@code a @ b} is a matrix product the graph accepts. */
  static boolean fits(Shape a, Shape b) {
    return !a.isScalar() && !b.isScalar() && (a.rank() == 2 || b.rank() == 2)
        && a.dim(a.rank() - 1) == b.dim(0);
  }

  /** The operand as it can be quoted inside a product (parenthesized if it is an operation). */
  private static String operand(Expr e, Function<Expr, String> text) {
    String t = text.apply(e);
    if (t.length() > MAX_QUOTED || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
      return null;
    }
    boolean compound = e instanceof Expr.Binary || e instanceof Expr.Negate;
    return compound && !parenthesized(t) ? "(" + t + ")" : t;
  }

  /** Whether the first character is a parenthesis that the last one closes. */
  private static boolean parenthesized(String t) {
    int depth = 0;
    for (int i = 0; i < t.length(); i++) {
      depth += t.charAt(i) == '(' ? 1 : t.charAt(i) == ')' ? -1 : 0;
      if (depth == 0) {
        return i == t.length() - 1 && i > 0;
      }
    }
    return false;
  }
}
