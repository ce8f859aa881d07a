package org.gradc.sema;

import org.gradc.diag.Suggestions;
import org.gradc.runtime.InitSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gradc.ast.Expr;
import org.gradc.ast.Init;
import org.gradc.ast.Literal;
import org.gradc.diag.Diagnostics;
import org.gradc.ir.Shape;

/** Dimension lists, array literals and initializers: validated and turned into values. */
final class Literals {
  private final Diagnostics diagnostics;

  Literals(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The shape a dimension list declares; empty when a dimension is not a positive integer. */
  Optional<Shape> shape(List<Expr.Num> dims) {
    int[] out = new int[dims.size()];
    boolean ok = true;
    for (int i = 0; i < dims.size(); i++) {
      Expr.Num n = dims.get(i);
      if (!isNonNegativeInt(n.text(), n.value()) || n.value() < 1) {
        diagnostics.error(n.span(), "dimension must be a positive integer, not " + n.text());
        ok = false;
      } else {
        out[i] = (int) n.value();
      }
    }
    if (!ok) {
      return Optional.empty();
    }
    Shape shape = Shape.of(out);
    if (shape.elements() > Shape.MAX_ELEMENTS) {
      diagnostics.error(dims.get(0).span(), "shape " + shape + " has " + shape.elements()
          + " elements; the most one value may have is " + Shape.MAX_ELEMENTS);
      return Optional.empty();
    }
    return Optional.of(shape);
  }

  /** Integers written as integers: {@code 3}, not {@code 3.0} or {@code 3e0}. */
  static boolean isNonNegativeInt(String text, double value) {
    return text.chars().allMatch(Character::isDigit) && value <= Integer.MAX_VALUE;
  }

  /** A literal's shape, or empty (with an error at the literal's start) when ragged or empty. */
  Optional<Shape> shapeOf(Literal literal) {
    return shapeOf(literal, literal.span());
  }

  private Optional<Shape> shapeOf(Literal literal, org.gradc.diag.Span reportAt) {
    if (literal instanceof Literal.Number) {
      return Optional.of(Shape.SCALAR);
    }
    Literal.Array array = (Literal.Array) literal;
    if (array.elements().isEmpty()) {
      diagnostics.error(reportAt, "empty array literal");
      return Optional.empty();
    }
    Optional<Shape> first = shapeOf(array.elements().get(0), reportAt);
    if (first.isEmpty()) {
      return first;
    }
    for (int i = 1; i < array.elements().size(); i++) {
      Literal element = array.elements().get(i);
      Optional<Shape> s = shapeOf(element, reportAt);
      if (s.isEmpty()) {
        return s;
      }
      if (!s.get().equals(first.get())) {
 diagnostics.error(reportAt, "ragged array literal: element " + (i + 1) + " has shape "
            + s.get() + ", but element 1 has shape " + first.get());
        return Optional.empty();
      }
    }
    int[] inner = first.get().dims();
    int[] dims = new int[inner.length + 1];
    dims[0] = array.elements().size();
    System.arraycopy(inner, 0, dims, 1, inner.length);
    return Optional.of(Shape.of(dims));
  }

  static double[] values(Literal literal) {
    List<Double> out = new ArrayList<>();
    flatten(literal, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flatten(Literal literal, List<Double> out) {
    if (literal instanceof Literal.Number n) {
      out.add(n.value());
    } else {
      ((Literal.Array) literal).elements().forEach(e -> flatten(e, out));
    }
  }

  /**
   * An initializer for a value of the given shape, or empty after reporting why it does not fit.
   * {@code what} names the declaration in messages ("'W1'").
   */
  Optional<InitSpec> init(Init init, Shape shape, String name) {
    if (init instanceof Init.Value v) {
      if (v.literal() instanceof Literal.Number n) {
        return Optional.of(new InitSpec.Fill(n.value(), n.text()));
      }
      Optional<Shape> literalShape = shapeOf(v.literal());
      if (literalShape.isEmpty()) {
        return Optional.empty();
      }
      if (!literalShape.get().equals(shape)) {
        diagnostics.error(v.span(), "init literal has shape " + literalShape.get() + ", but '" + name
            + "' is declared " + shape);
        return Optional.empty();
      }
      return Optional.of(new InitSpec.Values(values(v.literal())));
    }
    if (init instanceof Init.Named n) {
      return switch (n.name().text()) {
        case "zeros" -> Optional.of(new InitSpec.Zeros());
        case "ones" -> Optional.of(new InitSpec.Ones());
        case "xavier" -> Optional.of(new InitSpec.Xavier());
        case "he" -> Optional.of(new InitSpec.He());
        default -> unknownInitializer(n.name().text(), n.span());
      };
    }
    Init.Call c = (Init.Call) init;
    String fn = c.name().text();
    if (!fn.equals("uniform") && !fn.equals("normal")) {
      return unknownInitializer(fn, c.name().span());
    }
    if (c.args().size() != 2) {
      diagnostics.error(c.name().span(), "'" + fn + "' takes 2 arguments, but " + c.args().size()
          + (c.args().size() == 1 ? " was" : " were") + " given");
      return Optional.empty();
    }
    Literal.Number a = c.args().get(0);
    Literal.Number b = c.args().get(1);
    String text = fn + "(" + a.text() + ", " + b.text() + ")";
    if (fn.equals("uniform")) {
      if (!(a.value() < b.value())) {
        diagnostics.error(a.span(), "uniform(low, high) needs low < high");
        return Optional.empty();
      }
      if (Double.isInfinite(b.value() - a.value())) {
        diagnostics.error(a.span(), "uniform(" + a.text() + ", " + b.text() + ") is too wide: high - low"
            + " is too large for a double");
        return Optional.empty();
      }
      return Optional.of(new InitSpec.Uniform(a.value(), b.value(), text));
    }
    if (b.value() < 0) {
      diagnostics.error(b.span(), "normal(mean, std) needs std >= 0");
      return Optional.empty();
    }
    return Optional.of(new InitSpec.Normal(a.value(), b.value(), text));
  }

  private Optional<InitSpec> unknownInitializer(String name, org.gradc.diag.Span span) {
    diagnostics.error(span, "unknown initializer '" + name + "'; expected zeros, ones, xavier, he, "
        + "uniform(a, b), normal(mean, std), a number or an array literal"
        + Suggestions.didYouMean(name, List.of("zeros", "ones", "xavier", "he", "uniform", "normal")));
    return Optional.empty();
  }
}
