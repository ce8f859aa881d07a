package org.gradc.ir;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The one row of an elementwise op: everything about it except its shape rule (one for all
 * elementwise ops, in {@link Graph}) and its derivative (one line in {@code diff.Differentiator}).
 * The {@link Evaluator}, the code generator's spelling of an op, {@link MathPrinter} and the
 * explain printer read their part from here, and {@link Builtins} offers every row marked as a
 * builtin under its name.
 *
 * <p>The notations are {@link String#format} patterns with one {@code %s} per argument, each
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
  private String gradText;
  private String gradTex;
  private String explainText;
  private String explainTex;

  private Elementwise(String name, int arity, DoubleUnaryOperator unary,
      DoubleBinaryOperator binary) {
    this.name = name;
    this.arity = arity;
    this.unary = unary;
    this.binary = binary;
    String args = arity == 1 ? "%s" : "%s, %s";
    this.java = name + "(" + args + ")";
    this.gradText = name + "(" + args + ")";
    this.gradTex = "\\operatorname{" + name.replace("_", "\\_") + "}\\left(" + args + "\\right)";
    this.explainText = gradText;
    this.explainTex = gradTex;
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
    this.gradText = null;
    this.gradTex = null;
    this.explainText = null;
    this.explainTex = null;
    return this;
  }

  /** The LaTeX function head in both printers, such as {@code \exp}. */
  Elementwise texHead(String head) {
    String args = arity == 1 ? "%s" : "%s, %s";
    this.gradTex = head + "\\left(" + args + "\\right)";
    this.explainTex = gradTex;
    return this;
  }

  /** The notation of {@code gradc grad}, plain and LaTeX. */
  Elementwise grad(String text, String tex) {
    this.gradText = text;
    this.gradTex = tex;
    return this;
  }

  /** The notation of {@code gradc explain}, plain and LaTeX. */
  Elementwise explain(String text, String tex) {
    this.explainText = text;
    this.explainTex = tex;
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

  /** The op in {@code gradc grad}'s notation, on printed arguments. */
  public String grad(boolean latex, String... args) {
    return String.format(latex ? gradTex : gradText, (Object[]) args);
  }

  /** The op in {@code gradc explain}'s notation, on printed arguments. */
  public String explain(boolean latex, String... args) {
    return String.format(latex ? explainTex : explainText, (Object[]) args);
  }
}
