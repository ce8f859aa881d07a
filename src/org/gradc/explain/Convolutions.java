package org.gradc.explain;

import java.util.function.Predicate;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Window;

/**
 * The convolution forms of the graph, recognised so that the printer writes them as the
 * textbooks do. A {@code conv2d} layer is built from im2col, products, transposes and reshapes;
 * its derivatives are built from the same ops, so these four patterns are what the graph holds
 * wherever a convolution or its gradient is (whatever the layer's name or sizes):
 *
 * <ul>
 *   <li>{@code reshape((im2col(x) · reshape(W)ᵀ + b)ᵀ)} is the convolution {@code W ⋆ x + b};
 *   <li>{@code col2im(reshape(δ)ᵀ · reshape(W))} is its data gradient, the transposed
 *       convolution {@code Wᵀ ⋆ δ};
 *   <li>{@code reshape((Σ_b im2col(x)ᵀ · reshape(δ)ᵀ)ᵀ)} is its filter gradient
 *       {@code Σ_b δ ⋆ x};
 *   <li>{@code sum_rows(reshape(δ)ᵀ)} of an image δ is its bias gradient {@code Σ_hw δ}.
 * </ul>
 *
 * <p>Nodes inside a pattern must be unnamed: a named one is printed by its name instead.
 */
final class Convolutions {
  private Convolutions() {}

  /** A recognised form; its operands are the nodes the printer prints. */
  sealed interface Form {}

  /** {@code W ⋆ x + b} (bias null when there is none). */
  record Conv(Node weights, Node input, Node bias, Window window) implements Form {}

  /** {@code Wᵀ ⋆ δ}: the adjoint of {@code W ⋆ ·}, back to the input's shape. */
  record Transposed(Node weights, Node delta, Window window) implements Form {}

  /** {@code Σ_b δ ⋆ x}: the gradient of the filters. */
  record Filters(Node delta, Node input, Window window) implements Form {}

  /** {@code Σ_hw δ}: the sum over the output positions, per channel. */
  record Positions(Node delta) implements Form {}

  /** The form {@code n} is, or null; {@code named} tells the nodes that print as a name. */
  static Form of(Node n, Predicate<Node> named) {
    Matcher m = new Matcher(named);
    if (n.op() == Op.RESHAPE) {
      return n.shape().rank() == 3 ? m.conv(n) : n.shape().rank() == 4 ? m.filters(n) : null;
    }
    return n.op() == Op.COL2IM ? m.transposed(n) : n.op() == Op.SUM_ROWS ? m.positions(n) : null;
  }

  /** Walks a pattern down from its root, through unnamed nodes only. */
  private record Matcher(Predicate<Node> named) {
    /** Input {@code i} of {@code n} when it is an unnamed node of {@code op}, else null. */
    private Node in(Node n, int i, Op op) {
      if (n == null || n.inputs().size() <= i) {
        return null;
      }
      Node x = n.input(i);
      return x.op() == op && !named.test(x) ? x : null;
    }

    /** The filters W [F, C, K, K] under {@code reshape(W)}, or null. */
    private Node weights(Node reshape) {
      return reshape != null && reshape.input(0).shape().rank() == 4 ? reshape.input(0) : null;
    }

    /** The image δ under {@code reshape(δ)ᵀ}, or null. */
    private Node delta(Node transpose) {
      Node r = in(transpose, 0, Op.RESHAPE);
      return r != null && r.input(0).shape().rank() == 3 ? r.input(0) : null;
    }

    Form conv(Node n) {
      Node s = in(n, 0, Op.TRANSPOSE);
      Node sum = s == null ? null : s.input(0);
      if (sum == null || named.test(sum)) {
        return null;
      }
      Node bias = null;
      Node product = sum;
      if (sum.is(Fn.ADD)) {
        int at = sum.input(0).op() == Op.MATMUL ? 0 : 1;
        product = in(sum, at, Op.MATMUL);
        bias = sum.input(1 - at);
      }
      Node cols = in(product, 0, Op.IM2COL);
      Node w = weights(in(in(product, 1, Op.TRANSPOSE), 0, Op.RESHAPE));
      return cols == null || w == null || product.op() != Op.MATMUL ? null
          : new Conv(w, cols.input(0), bias, cols.window());
    }

    Form transposed(Node n) {
      Node product = in(n, 0, Op.MATMUL);
      Node delta = delta(in(product, 0, Op.TRANSPOSE));
      Node w = weights(in(product, 1, Op.RESHAPE));
      return delta == null || w == null ? null : new Transposed(w, delta, n.window());
    }

    Form filters(Node n) {
      Node product = in(in(in(n, 0, Op.TRANSPOSE), 0, Op.BATCH_SUM), 0, Op.MATMUL);
      Node cols = in(in(product, 0, Op.TRANSPOSE), 0, Op.IM2COL);
      Node delta = delta(in(product, 1, Op.TRANSPOSE));
      return cols == null || delta == null ? null
          : new Filters(delta, cols.input(0), cols.window());
    }

    Form positions(Node n) {
      Node delta = delta(in(n, 0, Op.TRANSPOSE));
      return delta == null ? null : new Positions(delta);
    }
  }
}
