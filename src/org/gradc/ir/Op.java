package org.gradc.ir;

import org.gradc.runtime.FastMath;

/**
 * The primitive operations of the expression graph. Builtins of the language are lowered to
 * these (see {@link Builtins}). Each op has an explicit {@link Kind}. An elementwise op carries
 * its whole description in one {@link Elementwise} row (scalar function, Java spelling, printed
 * forms, builtin name), which the evaluator, the code generator and the printers read; adding one
 * is a row here and its derivative line in {@code diff.Differentiator}, whose exhaustive
 * {@code switch} does not compile without it. Shape rules live in the {@link Graph} factory
 * method of each op; the other kinds are handled by exhaustive {@code switch}es over this enum.
 */
public enum Op {
  // leaves
  /** Per-example input (batched). */
  INPUT(Kind.LEAF, "input"),
  /** Per-example target (batched). */
  TARGET(Kind.LEAF, "target"),
  /** Trainable parameter (unbatched). */
  PARAM(Kind.LEAF, "param"),
  /** Named constant with literal values (unbatched). */
  CONST(Kind.LEAF, "const"),
  /** Scalar number literal. */
  NUMBER(Kind.LEAF, "number"),
  /** The run-time batch size B, an unbatched scalar. */
  BATCH_SIZE(Kind.LEAF, "B"),

  // elementwise with broadcasting (scalar to anything, [n] to [m, n] over rows)
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

  // elementwise unary
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
      .math("⟦%s⟧", "[\\![%s]\\!]")),

  // structure
  /** [m, n] -> [n, m]. */
  TRANSPOSE(Kind.STRUCTURE, "transpose"),
  /** v[i] (vector -> scalar) or m[i] (matrix -> row). */
  INDEX(Kind.STRUCTURE, "index"),
  /** The adjoint of INDEX: a zero tensor of the source shape with x placed at index i. */
  PLACE(Kind.STRUCTURE, "place"),
  /** Replicates a scalar to any shape, or a row [n] to [m, n]. */
  BROADCAST(Kind.STRUCTURE, "broadcast"),
  /**
   * A def with its own derivative rule: the value of input 0 (the def's body), the def's
   * arguments as inputs 1…, and a {@link CustomRule} that differentiation uses instead of the
   * body's derivative. Simplification after differentiation replaces it by its body, so plans
   * and generated code never contain it.
   */
  CUSTOM(Kind.STRUCTURE, "custom"),

  /** The same elements in another shape of equal size (row-major order kept). */
  RESHAPE(Kind.STRUCTURE, "reshape"),

  // sliding windows over [C, H, W] images, each with its {@link Window}
  /** [C, H, W] -> [P, C·K·K]: row p holds the (zero-padded) window of output position p. */
  IM2COL(Kind.WINDOW, "im2col"),
  /** The adjoint of IM2COL: [P, C·K·K] -> [C, H, W], overlapping windows summed. */
  COL2IM(Kind.WINDOW, "col2im"),
  /** max_pool(x, h): h at the first maximum of x in each window, per channel -> [C, OH, OW]. */
  MAX_POOL(Kind.WINDOW, "max_pool"),
  /** The adjoint of MAX_POOL in h: g [C, OH, OW] sent to the first maximum of x -> [C, H, W]. */
  MAX_UNPOOL(Kind.WINDOW, "max_unpool"),
  /** Mean of each window, per channel -> [C, OH, OW]. */
  AVG_POOL(Kind.WINDOW, "avg_pool"),
  /** The adjoint of AVG_POOL: each window's value over K·K spread back -> [C, H, W]. */
  AVG_UNPOOL(Kind.WINDOW, "avg_unpool"),

  // reductions and products
  /** Sum of all elements -> scalar. */
  SUM(Kind.REDUCTION, "sum"),
  /** [m, n] -> [n], sum over the rows (axis 0). */
  SUM_ROWS(Kind.REDUCTION, "sum_rows"),
  /** Matrix product: [n]@[n,m], [m,n]@[n], [m,n]@[n,k]. */
  MATMUL(Kind.PRODUCT, "@"),
  /** Outer product [n] x [m] -> [n, m]. */
  OUTER(Kind.PRODUCT, "outer"),

  // along the last axis (row-wise for matrices)
  SOFTMAX(Kind.LAST_AXIS, "softmax"),
  LOG_SOFTMAX(Kind.LAST_AXIS, "log_softmax"),
  /** [n] -> scalar, [m, n] -> [m]. */
  LOGSUMEXP(Kind.LAST_AXIS, "logsumexp"),

  // over the implicit batch axis
  /** Sum over the batch of a batched value -> unbatched. */
  BATCH_SUM(Kind.BATCH, "batch_sum"),
  /** Mean over the batch of a batched value -> unbatched. */
  BATCH_MEAN(Kind.BATCH, "batch_mean");

  /** What an op is; the elementwise kinds have a {@link Elementwise} row. */
  public enum Kind {
    /** Inputs, targets, params, constants, numbers, the batch size. */
    LEAF,
    /** Two arguments with broadcasting. */
    ELEMENTWISE_BINARY,
    /** One argument, same shape out. */
    ELEMENTWISE_UNARY,
    /** Moves or replicates elements. */
    STRUCTURE,
    /** Sums elements. */
    REDUCTION,
    /** Matrix and outer products. */
    PRODUCT,
    /** Along the last axis (row-wise for matrices). */
    LAST_AXIS,
    /** Over the implicit batch axis. */
    BATCH,
    /** Sliding windows over a [C, H, W] image (convolution and pooling). */
    WINDOW
  }

  private final Kind kind;
  private final String text;
  private final Elementwise row;

  Op(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
    this.row = null;
  }

  Op(Elementwise row) {
    this.kind = row.arity() == 1 ? Kind.ELEMENTWISE_UNARY : Kind.ELEMENTWISE_BINARY;
    this.text = row.name();
    this.row = row;
  }

  private static Elementwise unary(String name, java.util.function.DoubleUnaryOperator f) {
    return Elementwise.unary(name, f);
  }

  private static Elementwise binary(String name, java.util.function.DoubleBinaryOperator f) {
    return Elementwise.binary(name, f);
  }

  /** Operator symbol or function name used by printers. */
  public String text() {
    return text;
  }

  public Kind kind() {
    return kind;
  }

  /** The row of an elementwise op; null for every other kind. */
  public Elementwise elementwise() {
    return row;
  }

  public boolean isLeaf() {
    return kind == Kind.LEAF;
  }

  /** Elementwise binary op with broadcasting. */
  public boolean isElementwiseBinary() {
    return kind == Kind.ELEMENTWISE_BINARY;
  }

  public boolean isElementwiseUnary() {
    return kind == Kind.ELEMENTWISE_UNARY;
  }
}
