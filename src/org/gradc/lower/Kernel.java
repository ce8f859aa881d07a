package org.gradc.lower;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gradc.ir.Node;
import org.gradc.runtime.Activation;

/**
 * One step of a {@link Plan}: a loop nest that computes the value of {@link #out()} into its
 * {@link Storage} from values computed before it. Every kernel writes every element of its output
 * (no kernel relies on a buffer having been zeroed), so workspaces can be reused across calls.
 * Each kind carries the decisions about its loops, so code generation only writes them down.
 */
public sealed interface Kernel {
  /** The node whose value this kernel stores. */
  Node out();

  /** The nodes whose values this kernel reads (inlined nodes are computed, not read). */
  List<Node> reads();

  /**
   * Whether this kernel only copies a value computed elsewhere ({@link Copy}), so it has no DSL
   * statement or formula of its own; every kind answers, so a new kind must decide.
   */
  boolean copies();

  /** Calls the method of {@code v} for this kernel's kind. */
  <R> R accept(Visitor<R> v);

  /** One method per kind of kernel: an exhaustive dispatch. */
  interface Visitor<R> {
    R elementwise(Elementwise k);

    R product(Product k);

    R structural(Structural k);

    R copy(Copy k);
  }

  /**
   * A fused elementwise loop: {@code out} and the nodes in {@code inlined} (single-use
   * elementwise values of the same shape, in topological order) are computed in one pass, the
   * inlined ones as subexpressions that are never stored.
   *
   * @param loop the loop nest over the batch and the elements
   * @param vectorTanh whether {@code out} is a tanh applied as one vectorized call over the whole
   *     array ({@link org.gradc.runtime.FastMath#tanh(double[], int, int)}) after the loops have
   *     stored its argument
   */
  record Elementwise(Node out, List<Node> inlined, Loop loop, boolean vectorTanh)
      implements Kernel {
    /** The loop nest of an elementwise kernel. */
    public enum Loop {
      /**
       * One loop over {@code B * size}: the value and every value it reads of the same shape
       * are contiguous, the others unbatched scalars.
       */
      FLAT,
      /** Per example (when batched), one loop over the elements (none for a scalar). */
      ELEMENTS,
      /** Per example (when batched), rows and columns: a vector is read along the rows. */
      ROWS
    }

    public Elementwise {
      inlined = List.copyOf(inlined);
    }

    /** A kernel before its loops are chosen (a loop per example, tanh per element). */
    public Elementwise(Node out, List<Node> inlined) {
      this(out, inlined, Loop.ELEMENTS, false);
    }

    /** The nodes this kernel computes: {@code out} and the inlined ones. */
    public Set<Node> fused() {
      Set<Node> fused = new HashSet<>(inlined);
      fused.add(out);
      return fused;
    }

    @Override
    public List<Node> reads() {
      Set<Node> fused = fused();
      Set<Node> r = new LinkedHashSet<>();
      for (Node n : inlined) {
        collect(n, fused, r);
      }
      collect(out, fused, r);
      return List.copyOf(r);
    }

    private static void collect(Node n, Set<Node> fused, Set<Node> r) {
      for (Node in : n.inputs()) {
        if (!fused.contains(in)) {
          r.add(in);
        }
      }
    }

    @Override
    public boolean copies() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.elementwise(this);
    }
  }

  /**
   * A matrix or outer product over the batch. {@code product} is a MATMUL or OUTER node; when
   * {@code batchSum} is set, {@code out} is {@code batch_sum(product)} and the product is
   * accumulated over the examples without being stored (for {@code x @ W} that is the GEMM
   * X[B, n] @ W[n, m]; for the gradient {@code batch_sum(outer(x, delta))} it is X^T Delta).
   * When {@code batchMean} is set, {@code out} is {@code batch_sum(product) / B}: the sum is
   * divided by the batch size as it is stored (a parameter gradient, without a pass of its own).
   * {@code gemm} is present when the product is a call of the runtime kernel
   * {@link org.gradc.runtime.Gemm}, absent when it is a specialized loop nest. {@code epilogue}
   * is present for a dense layer {@code act(x @ W + b)} (then {@code out} is the activation).
   *
   * @param leftTransposed the product's left operand is {@code transpose(A)} and the kernel reads
   *     A in place instead (the transpose is never stored)
   * @param outTransposed {@code out} is the transpose of the (summed, maybe divided) product,
   *     possibly reshaped: the kernel stores the product transposed (a convolution's filter
   *     gradient {@code reshape((Σ_b colsᵀ · Δ)ᵀ) / B} is {@code (Σ_b Δᵀ · cols) / B})
   */
  record Product(Node out, Node product, boolean batchSum, boolean batchMean,
      boolean leftTransposed, boolean outTransposed, Optional<Gemm> gemm,
      Optional<Epilogue> epilogue) implements Kernel {
    /** A product before its loops are chosen (a loop nest), with no epilogue. */
    public Product(Node out, Node product, boolean batchSum, boolean batchMean,
        boolean leftTransposed, boolean outTransposed) {
      this(out, product, batchSum, batchMean, leftTransposed, outTransposed, Optional.empty(),
          Optional.empty());
    }

    /** A product of the operands as they are stored, before its loops are chosen. */
    public Product(Node out, Node product, boolean batchSum, boolean batchMean) {
      this(out, product, batchSum, batchMean, false, false);
    }

    public Product(Node out, Node product, boolean batchSum) {
      this(out, product, batchSum, false);
    }

    /**
     * A dense layer: {@code out} is {@code act(product + bias)} (or {@code product + bias}),
     * stored by the product kernel with its epilogue; the product and the sum are never stored.
     */
    public Product(Node out, Node product, Epilogue epilogue) {
      this(out, product, false, false, false, false, Optional.empty(), Optional.of(epilogue));
    }

    /** The stored value the left operand is read from: A when it is read through its transpose. */
    public Node left() {
      return leftTransposed ? product.input(0).input(0) : product.input(0);
    }

    /** This kernel with its loops chosen. */
    Product withGemm(Optional<Gemm> g) {
      return new Product(out, product, batchSum, batchMean, leftTransposed, outTransposed, g,
          epilogue);
    }

    @Override
    public List<Node> reads() {
      return epilogue.isPresent() ? List.of(left(), product.input(1), epilogue.get().bias())
          : List.of(left(), product.input(1));
    }

    @Override
    public boolean copies() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.product(this);
    }
  }

  /**
   * What a dense layer's product kernel does to each element of the product as it stores it:
   * adds the bias (an unbatched vector, one element per column), then applies the activation;
   * the runtime does both on panels of the product while they are in the cache
   * ({@link org.gradc.runtime.Gemm}). Only a product that runs on the runtime kernel has one.
   *
   * @param sum the node {@code product + bias}, computed on the way (the output itself when
   *     there is no activation)
   * @param bias the bias vector, read from its array
   * @param activation what the kernel applies to the sum
   */
  record Epilogue(Node sum, Node bias, Activation activation) {}

  /**
   * A product run by the runtime kernel {@link org.gradc.runtime.Gemm}: {@code C[m, n] = A[m, k]
   * · B[k, n]} over the batch, where A is the batched operand (read transposed for a gradient
   * {@code Xᵀ · Δ}, then {@code k} is the batch and -1 here) and B the weights (transposed into
   * the plan's scratch array when {@code transposed}); {@code m} is -1 when it is the batch.
   * {@code rows} is the number of rows each example contributes to the batch dimension: 1 for
   * vectors, P for a per-example matrix [P, k] whose examples' rows are stacked into one product
   * of B·P rows (a convolution's windows), or, when A is read transposed, into a contraction over
   * B·P (a convolution's filter gradient: its error signals by its windows).
   */
  record Gemm(Node a, Node b, int m, int n, int k, boolean aTransposed, boolean transposed,
      int rows) {
    /** A product whose batched operand is a vector per example. */
    public Gemm(Node a, Node b, int m, int n, int k, boolean aTransposed, boolean transposed) {
      this(a, b, m, n, k, aTransposed, transposed, 1);
    }
  }

  /** Transpose, index, place, reductions, softmax-like ops along the last axis, batch reductions. */
  record Structural(Node out) implements Kernel {
    @Override
    public List<Node> reads() {
      return out.inputs();
    }

    @Override
    public boolean copies() {
      return false;
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.structural(this);
    }
  }

  /** Copies a value (of any storage, or a literal) into {@code dest}, e.g. a parameter's gradient. */
  record Copy(Node out, Storage.Arg dest) implements Kernel {
    @Override
    public List<Node> reads() {
      return List.of(out);
    }

    @Override
    public boolean copies() {
      return true;
    }

    @Override
    public <R> R accept(Visitor<R> v) {
      return v.copy(this);
    }
  }
}
