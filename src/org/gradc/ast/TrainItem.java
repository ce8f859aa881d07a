package org.gradc.ast;

import java.util.List;
import org.gradc.diag.Span;

/** One line of a {@code train} block: {@code batch 4} or {@code optimizer adam(lr = 0.01)}. */
public sealed interface TrainItem {
  Ident key();

  record Setting(Ident key, Literal.Number value) implements TrainItem {}

  record Optimizer(Ident key, Ident name, List<Option> options, Span span) implements TrainItem {
    public Optimizer {
      options = List.copyOf(options);
    }
  }

  /** {@code lr = 0.5}. */
  record Option(Ident name, Literal.Number value) {}
}
