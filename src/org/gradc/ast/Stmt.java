package org.gradc.ast;

import java.util.List;
import java.util.Optional;
import org.gradc.diag.Span;

/** The statements of a model body. */
public sealed interface Stmt {
  Span span();

  /** {@code input x[2]} or {@code target y[1]}; an empty dimension list is a scalar. */
  record Data(DataKind kind, Ident name, List<Expr.Num> dims, Span span) implements Stmt {
    public Data {
      dims = List.copyOf(dims);
    }
  }

  enum DataKind { INPUT, TARGET }

  /** {@code param W[2, 4] = init}; dims absent means "scalar, or the literal's shape". */
  record Param(Ident name, Optional<List<Expr.Num>> dims, Optional<Init> init, Span span)
      implements Stmt {}

  /** {@code const C[2] = [1, 2]}. */
  record Const(Ident name, Optional<List<Expr.Num>> dims, Init value, Span span) implements Stmt {}

  /** {@code h = expr}. */
  record Assign(Ident name, Expr value, Span span) implements Stmt {}

  /**
   * {@code layer h = dense(x, 4, sigmoid)} or {@code layer c = conv2d(x, 8, 3, padding=1, relu)}:
   * the positional arguments in order and the named ones ({@code KEY=EXPR}) in order.
   */
  record Layer(Ident name, Ident function, List<Expr> args, List<Option> options, Span span)
      implements Stmt {
    public Layer {
      args = List.copyOf(args);
      options = List.copyOf(options);
    }
  }

  /** A named layer argument {@code key=value}. */
  record Option(Ident key, Expr value) {}

  /** {@code output a, b}. */
  record Output(List<Ident> names, Span span) implements Stmt {
    public Output {
      names = List.copyOf(names);
    }
  }

  /** {@code loss expr}; {@code span} is the keyword. */
  record Loss(Expr value, Span span) implements Stmt {}

  /** {@code train { … }}. */
  record Train(List<TrainItem> items, Span span) implements Stmt {
    public Train {
      items = List.copyOf(items);
    }
  }
}
