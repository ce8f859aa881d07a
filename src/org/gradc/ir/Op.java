package org.gradc.ir;

/**
 * The primitive operations of the expression graph. Builtins of the language are lowered to
 * these (see {@link Builtins}). Shape rules live in the {@link Graph} factory method of each op;
 * evaluation ({@link Evaluator}), derivatives ({@code diff.Differentiator}) and printing are
 * exhaustive {@code switch} expressions over this enum, so a new op without one of them does not
 * compile.
 */
public enum Op {
  // leaves
  /** Per-example input (batched). */
  INPUT("input"),
  /** Per-example target (batched). */
  TARGET("target"),
  /** Trainable parameter (unbatched). */
  PARAM("param"),
  /** Named constant with literal values (unbatched). */
  CONST("const"),
  /** Scalar number literal. */
  NUMBER("number"),
  /** The run-time batch size B, an unbatched scalar. */
  BATCH_SIZE("B"),

  // elementwise with broadcasting (scalar to anything, [n] to [m, n] over rows)
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  /** a ^ b; either side may be broadcast. */
  POW("^"),
  /** Elementwise maximum; the first argument wins ties. */
  MAX("max"),
  /** Elementwise minimum; the first argument wins ties. */
  MIN("min"),
  /** 1 where a >= b, else 0 (derivative masks of max/min). */
  GREATER_EQ("ge"),

  // elementwise unary
  NEG("neg"),
  EXP("exp"),
  LOG("log"),
  SQRT("sqrt"),
  ABS("abs"),
  SIN("sin"),
  COS("cos"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  RELU("relu"),
  /** log(1 + exp(x)), computed stably. */
  SOFTPLUS("softplus"),
  /** 1 where x > 0, else 0 (relu'); step(0) = 0. */
  STEP("step"),
  /** -1, 0 or 1 (abs'); sign(0) = 0. */
  SIGN("sign"),

  // structure
  /** [m, n] -> [n, m]. */
  TRANSPOSE("transpose"),
  /** v[i] (vector -> scalar) or m[i] (matrix -> row). */
  INDEX("index"),
  /** The adjoint of INDEX: a zero tensor of the source shape with x placed at index i. */
  PLACE("place"),
  /** Replicates a scalar to any shape, or a row [n] to [m, n]. */
  BROADCAST("broadcast"),

  // reductions and products
  /** Sum of all elements -> scalar. */
  SUM("sum"),
  /** [m, n] -> [n], sum over the rows (axis 0). */
  SUM_ROWS("sum_rows"),
  /** Matrix product: [n]@[n,m], [m,n]@[n], [m,n]@[n,k]. */
  MATMUL("@"),
  /** Outer product [n] x [m] -> [n, m]. */
  OUTER("outer"),

  // along the last axis (row-wise for matrices)
  SOFTMAX("softmax"),
  LOG_SOFTMAX("log_softmax"),
  /** [n] -> scalar, [m, n] -> [m]. */
  LOGSUMEXP("logsumexp"),

  // over the implicit batch axis
  /** Sum over the batch of a batched value -> unbatched. */
  BATCH_SUM("batch_sum"),
  /** Mean over the batch of a batched value -> unbatched. */
  BATCH_MEAN("batch_mean");

  private final String text;

  Op(String text) {
    this.text = text;
  }

  /** Operator symbol or function name used by printers. */
  public String text() {
    return text;
  }

  public boolean isLeaf() {
    return ordinal() <= BATCH_SIZE.ordinal();
  }

  /** Elementwise binary op with broadcasting. */
  public boolean isElementwiseBinary() {
    return ordinal() >= ADD.ordinal() && ordinal() <= GREATER_EQ.ordinal();
  }

  public boolean isElementwiseUnary() {
    return ordinal() >= NEG.ordinal() && ordinal() <= SIGN.ordinal();
  }
}
