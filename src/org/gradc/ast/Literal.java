package org.gradc.ast;

import java.util.List;
import org.gradc.diag.Span;

/** Literal values of params and consts: a signed number or a nested array of them. */
public sealed interface Literal {
  Span span();

  record Number(double value, String text, Span span) implements Literal {}

  record Array(List<Literal> elements, Span span) implements Literal {
    public Array {
      elements = List.copyOf(elements);
    }
  }
}
