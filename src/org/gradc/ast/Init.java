package org.gradc.ast;

import java.util.List;
import org.gradc.diag.Span;

/** A parameter initializer as written after {@code =}; the checker validates it. */
public sealed interface Init {
  Span span();

  /** {@code zeros}, {@code ones}, {@code xavier}, {@code he}. */
  record Named(Ident name) implements Init {
    public Span span() {
      return name.span();
    }
  }

  /** {@code uniform(a, b)}, {@code normal(mean, std)}. */
  record Call(Ident name, List<Literal.Number> args, Span span) implements Init {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** A number or array literal. */
  record Value(Literal literal) implements Init {
    public Span span() {
      return literal.span();
    }
  }
}
