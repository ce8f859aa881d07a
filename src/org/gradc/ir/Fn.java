package org.gradc.ir;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.gradc.runtime.FastMath;

/**
 * The elementwise functions, one row each: everything about one except its shape rule (one for
 * all of them, in {@link GraphBuilder}) and its derivative (one line in the exhaustive
 * {@code switch} of {@code diff.Differentiator}, which does not compile without it). A node
 * applying one has op {@link Op#UNARY} or {@link Op#BINARY} and the row as its {@link Node#fn()}.
 * The {@link Evaluator}, the code generator's spelling of an op and the math printer (one notation
 * for every view) read their part from here, and {@link Builtins} offers every row marked as a
 * builtin under its name.
 *
 * <p>The notation is a {@link String#format} pattern with one {@code %s} per argument, each
 * argument printed whole (as inside parentheses). The arithmetic operators ({@code + - * / ^} and
 * negation) have none: the printers place them by precedence themselves.
 */
public enum Fn {
  // two arguments with broadcasting (scalar to anything, [n] to [m, n] over rows)
  ADD(binary("+", (a, b) -> a + b).java("(%s + %s)").operator()),
  SUB(binary("-", (a, b) -> a - b).java("(%s - %s)").operator()),
  MUL(binary("*", (a, b) -> a * b).java("(%s * %s)").operator()),
  DIV(binary("/", (a, b) -> a / b).java("(%s / %s)").operator()),
  /** a ^ b; either side may be broadcast. */
  POW(binary("^", Math::pow).java("Math.pow(%s, %s)").operator()),
  /** Elementwise maximum; the first argument wins ties. */
  MAX(binary("max", (a, b) -> a >= b ? a : b).helper().builtin()),
  /** Elementwise minimum; the first argument wins ties. */
  MIN(binary("min", (a, b) -> a <= b ? a : b).helper().builtin()),
  /** 1 where a >= b, else 0 (derivative masks of max/min). */
  GREATER_EQ(binary("ge", (a, b) -> a >= b ? 1 : 0).helper()
      .math("[%s ≥ %s]", "[%s \\geq %s]")),

  // one argument, same shape out
  NEG(unary("neg", a -> -a).java("(-%s)").operator()),
  EXP(unary("exp", Math::exp).java("Math.exp(%s)").texHead("\\exp").builtin()),
  LOG(unary("log", Math::log).java("Math.log(%s)").texHead("\\log").builtin()),
  SQRT(unary("sqrt", Math::sqrt).java("Math.sqrt(%s)").builtin()
      .math("sqrt(%s)", "\\sqrt{%s}")),
  ABS(unary("abs", Math::abs).java("Math.abs(%s)").builtin()),
  SIN(unary("sin", Math::sin).java("Math.sin(%s)").texHead("\\sin").builtin()),
  COS(unary("cos", Math::cos).java("Math.cos(%s)").texHead("\\cos").builtin()),
  TANH(unary("tanh", Math::tanh).helper().texHead("\\tanh").builtin()),
  SIGMOID(unary("sigmoid", Evaluator::sigmoid).helper().builtin()
      .math("σ(%s)", "\\sigma\\left(%s\\right)")),
  RELU(unary("relu", a -> a > 0 ? a : 0).helper().builtin()),
  /** log(1 + exp(x)), computed stably. */
  SOFTPLUS(unary("softplus", Evaluator::softplus).helper().builtin()),
  /** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), PyTorch's {@code gelu(approximate='tanh')}. */
  GELU(unary("gelu", FastMath::gelu).java("org.gradc.runtime.FastMath.gelu(%s)").builtin()),
  /** 1 where x > 0, else 0 (relu'); step(0) = 0. */
  STEP(unary("step", a -> a > 0 ? 1 : 0).helper()
      .math("[%s > 0]", "[%s > 0]")),
  /** -1, 0 or 1 (abs'); sign(0) = 0. */
  SIGN(unary("sign", a -> a > 0 ? 1 : a < 0 ? -1 : 0).helper()),
  /** The value of x, held constant by differentiation (PyTorch's {@code detach()}). */
  STOP_GRADIENT(unary("stop_gradient", a -> a).java("(%s)").builtin()
      .math("⟦%s⟧", "[\\![%s]\\!]"));

  private final String text;
  private final int arity;
  private final DoubleUnaryOperator unary;
  private final DoubleBinaryOperator binary;
  private final String java;
  private final String helper;
  private final boolean builtin;
  private final boolean operator;
  private final String math;
  private final String tex;

  Fn(Row r) {
    this.text = r.text;
    this.arity = r.unary != null ? 1 : 2;
    this.unary = r.unary;
    this.binary = r.binary;
    this.java = r.java;
    this.helper = r.helper ? r.text : null;
    this.builtin = r.builtin;
    this.operator = r.operator;
    this.math = r.math;
    this.tex = r.tex;
  }

  /** The row as written above, before it becomes the constant's final fields. */
  private static final class Row {
    private final String text;
    private final DoubleUnaryOperator unary;
    private final DoubleBinaryOperator binary;
    private final String args;
    private String java;
    private boolean helper;
    private boolean builtin;
    private boolean operator;
    private String math;
    private String tex;

    private Row(String text, DoubleUnaryOperator unary, DoubleBinaryOperator binary) {
      this.text = text;
      this.unary = unary;
      this.binary = binary;
      this.args = unary != null ? "%s" : "%s, %s";
      this.java = text + "(" + args + ")";
      this.math = text + "(" + args + ")";
      this.tex = "\\operatorname{" + text.replace("_", "\\_") + "}\\left(" + args + "\\right)";
    }

    /** Generated code spells the op by this pattern ({@code Math.exp(%s)}). */
    private Row java(String pattern) {
      this.java = pattern;
      return this;
    }

    /**
     * Generated code calls the generated helper method of the op's name ({@code sigmoid(x)});
     * the name is reserved in every generated class.
     */
    private Row helper() {
      this.helper = true;
      return this;
    }

    /** The language offers the op as a builtin function of its name. */
    private Row builtin() {
      this.builtin = true;
      return this;
    }

    /** An arithmetic operator, placed by precedence in the printers. */
    private Row operator() {
      this.operator = true;
      this.math = null;
      this.tex = null;
      return this;
    }

    /** The LaTeX function head, such as {@code \exp}. */
    private Row texHead(String head) {
      this.tex = head + "\\left(" + args + "\\right)";
      return this;
    }

    /** The math notation, plain and LaTeX, when it is not the function's name. */
    private Row math(String text, String tex) {
      this.math = text;
      this.tex = tex;
      return this;
    }
  }

  private static Row unary(String text, DoubleUnaryOperator f) {
    return new Row(text, f, null);
  }

  private static Row binary(String text, DoubleBinaryOperator f) {
    return new Row(text, null, f);
  }

  /**
   * The name printers and comments use ({@code exp}, {@code +}).
   *
   * @return the function's name or operator symbol
   */
  public String text() {
    return text;
  }

  /**
   * The number of arguments.
   *
   * @return 1 or 2
   */
  public int arity() {
    return arity;
  }

  /**
   * The scalar function of a one-argument op.
   *
   * @param x the argument
   * @return the function's value
   */
  public double apply(double x) {
    return unary.applyAsDouble(x);
  }

  /**
   * The scalar function of a two-argument op.
   *
   * @param a the first argument
   * @param b the second argument
   * @return the function's value
   */
  public double apply(double a, double b) {
    return binary.applyAsDouble(a, b);
  }

  /**
   * The Java expression computing the op on the given Java operand expressions.
   *
   * @param args one Java expression per argument
   * @return the op's Java spelling on them
   */
  public String java(List<String> args) {
    return String.format(java, args.toArray());
  }

  /**
   * The generated helper method the Java spelling calls.
   *
   * @return the helper's name, or null when the spelling needs none
   */
  public String helperName() {
    return helper;
  }

  /**
   * Identifiers the op's Java spelling needs reserved in a generated class.
   *
   * @return the helper's name, or nothing
   */
  public List<String> reserved() {
    return helper == null ? List.of() : List.of(helper);
  }

  /**
   * Whether the language offers the op as a builtin of its {@link #text()}.
   *
   * @return true for a builtin
   */
  public boolean isBuiltin() {
    return builtin;
  }

  /**
   * Whether the op is an arithmetic operator, which has no function notation.
   *
   * @return true for {@code + - * / ^} and negation
   */
  public boolean isOperator() {
    return operator;
  }

  /**
   * The op in math notation on printed arguments.
   *
   * @param latex LaTeX rather than plain text
   * @param args the printed arguments, one per argument
   * @return the op's notation on them
   */
  public String math(boolean latex, String... args) {
    return String.format(latex ? tex : math, (Object[]) args);
  }
}
