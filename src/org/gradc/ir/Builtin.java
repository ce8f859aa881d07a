package org.gradc.ir;

import java.util.List;

/** A builtin function of the language: its name, its arity and how it lowers to primitive ops. */
public interface Builtin {
  String name();

  int arity();

  /**
   * Builds the builtin applied to {@code args} (exactly {@link #arity()} of them).
   *
   * @throws ShapeException when the argument shapes are not accepted
   */
  Node apply(GraphBuilder g, List<Node> args);
}
