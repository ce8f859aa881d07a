package org.gradc.ast;

import java.util.List;
import org.gradc.diag.Span;

/**
 * Expressions as written. {@link #span()} covers the whole expression (its first character is
 * where it starts); operator nodes also keep the operator's own span, where shape errors point.
 */
public sealed interface Expr {
  Span span();

  /** A numeric literal; {@code text} is the lexeme, kept for messages and deterministic output. */
  record Num(double value, String text, Span span) implements Expr {}

  /** A reference to an input, target, param, const, intermediate, layer or def parameter. */
  record Name(Ident name) implements Expr {
    public Span span() {
      return name.span();
    }
  }

  /** {@code e.field}: a layer parameter ({@code h.W}, {@code h.b}) or a transpose ({@code e.T}). */
  record Member(Expr target, Ident field, Span span) implements Expr {}

  /** {@code e[i]} with a constant index; {@code bracket} is the span of {@code [}. */
  record Index(Expr target, Num index, Span bracket, Span span) implements Expr {}

  /** Unary minus. */
  record Negate(Expr operand, Span span) implements Expr {}

  /** A binary operator; {@code opSpan} is the operator token. */
  record Binary(BinOp op, Expr left, Expr right, Span opSpan, Span span) implements Expr {}

  /** A call of a builtin or a {@code def}. */
  record Call(Ident function, List<Expr> args, Span span) implements Expr {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** The binary operators, with the symbol they are written with. */
  enum BinOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MATMUL("@"), POW("^");

    private final String symbol;

    BinOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }
}
