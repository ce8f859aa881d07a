package org.gradc.ir;

/**
 * The primitive operations of the expression graph. Builtins of the language are lowered to
 * these (see {@link Builtins}). Each op has an explicit {@link Kind}. The elementwise functions
 * are two ops, {@link #UNARY} and {@link #BINARY}, whose nodes hold their function, a row of
 * {@link Fn} (scalar function, Java spelling, printed forms, builtin name), which the evaluator,
 * the code generator and the printers read; adding one is a row there and its derivative line in
 * {@code diff.Differentiator}, whose exhaustive {@code switch} over {@link Fn} does not compile
 * without it. Shape rules live in the {@link GraphBuilder} factory method of each op. The
 * phases dispatch on ops by {@code switch}es that name every constant, with no default, so a new
 * op is a compile error in every such switch expression that does not handle it (only the
 * arithmetic of the {@link Kind#WINDOW} ops switches over those six alone).
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

  // elementwise, the function a row of {@link Fn} held by the node ({@link Node#fn()})
  /** One argument, same shape out. */
  UNARY(Kind.ELEMENTWISE_UNARY, "unary"),
  /** Two arguments with broadcasting (scalar to anything, [n] to [m, n] over rows). */
  BINARY(Kind.ELEMENTWISE_BINARY, "binary"),

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

  /** What an op is; the nodes of the elementwise kinds hold a {@link Fn} row. */
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

  Op(Kind kind, String text) {
    this.kind = kind;
    this.text = text;
  }

  /** Operator symbol or function name used by printers. */
  public String text() {
    return text;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isLeaf() {
    return kind == Kind.LEAF;
  }

  /** UNARY or BINARY: a node applying a {@link Fn}. */
  public boolean isElementwise() {
    return kind == Kind.ELEMENTWISE_UNARY || kind == Kind.ELEMENTWISE_BINARY;
  }

  /** Elementwise binary op with broadcasting. */
  public boolean isElementwiseBinary() {
    return kind == Kind.ELEMENTWISE_BINARY;
  }

  public boolean isElementwiseUnary() {
    return kind == Kind.ELEMENTWISE_UNARY;
  }
}
