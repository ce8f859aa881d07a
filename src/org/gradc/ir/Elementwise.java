package org.gradc.ir;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The one row of an elementwise op: everything about it except its shape rule (one for all
 * elementwise ops, in {@link Graph}) and its derivative (one line in {@code diff.Differentiator}).
 * The {@link Evaluator}, the code generator's spelling of an op and the math printer (one
 * notation for every view) read their part from here, and {@link Builtins} offers every row marked as a
 * builtin under its name.
 *
 * <p>The notation is a {@link String#format} pattern with one {@code %s} per argument, each
 * argument printed whole (as inside parentheses). The arithmetic operators ({@code + - * / ^} and
 * negation) have none: the printers place them by precedence themselves.
 */
public final class Elementwise {
  private final String name;
  private final int arity;
  private final DoubleUnaryOperator unary;
  private final DoubleBinaryOperator binary;
  private String java;
  private String helper;
  private boolean builtin;
  private boolean operator;
  private String text;
  private String tex;

  private Elementwise(String name, int arity, DoubleUnaryOperator unary,
      DoubleBinaryOperator binary) {
    this.name = name;
    this.arity = arity;
    this.unary = unary;
    this.binary = binary;
    String args = arity == 1 ? "%s" : "%s, %s";
    this.java = name + "(" + args + ")";
    this.text = name + "(" + args + ")";
    this.tex = "\\operatorname{" + name.replace("_", "\\_") + "}\\left(" + args + "\\right)";
  }

  /** A one-argument op named {@code name}, evaluated by {@code f}. */
  static Elementwise unary(String name, DoubleUnaryOperator f) {
    return new Elementwise(name, 1, f, null);
  }

  /** A two-argument op with broadcasting, evaluated by {@code f}. */
  static Elementwise binary(String name, DoubleBinaryOperator f) {
    return new Elementwise(name, 2, null, f);
  }

  /** Generated code spells the op by this pattern ({@code Math.exp(%s)}). */
  Elementwise java(String pattern) {
    this.java = pattern;
    return this;
  }

  /**
   * Generated code calls the generated helper method of the op's name ({@code sigmoid(x)}); the
   * name is reserved in every generated class.
   */
  Elementwise helper() {
    this.helper = name;
    return this;
  }

  /** The language offers the op as a builtin function of its name. */
  Elementwise builtin() {
    this.builtin = true;
    return this;
  }

  /** An arithmetic operator, placed by precedence in the printers. */
  Elementwise operator() {
    this.operator = true;
    this.text = null;
    this.tex = null;
    return this;
  }

  /** The LaTeX function head, such as {@code \exp}. */
  Elementwise texHead(String head) {
    String args = arity == 1 ? "%s" : "%s, %s";
    this.tex = head + "\\left(" + args + "\\right)";
    return this;
  }

  /** The math notation, plain and LaTeX, when it is not the function's name. */
  Elementwise math(String text, String tex) {
    this.text = text;
    this.tex = tex;
    return this;
  }

  /** The name printers and comments use ({@code exp}, {@code +}). */
  public String name() {
    return name;
  }

  /** 1 or 2. */
  public int arity() {
    return arity;
  }

  /** The scalar function of a one-argument op. */
  public double apply(double x) {
    return unary.applyAsDouble(x);
  }

  /** The scalar function of a two-argument op. */
  public double apply(double a, double b) {
    return binary.applyAsDouble(a, b);
  }

  /** The Java expression computing the op on the given Java operand expressions. */
  public String java(List<String> args) {
    return String.format(java, args.toArray());
  }

  /** The generated helper method the Java spelling calls, or null. */
  public String helperName() {
    return helper;
  }

  /** Identifiers the op's Java spelling needs reserved in a generated class. */
  public List<String> reserved() {
    return helper == null ? List.of() : List.of(helper);
  }

  /** True when the language offers the op as a builtin of its {@link #name()}. */
  public boolean isBuiltin() {
    return builtin;
  }

  /** True for the arithmetic operators, which have no function notation. */
  public boolean isOperator() {
    return operator;
  }

  /** The op in math notation on printed arguments, plain or LaTeX. */
  public String math(boolean latex, String... args) {
    return String.format(latex ? tex : text, (Object[]) args);
  }
}
