package org.gradc.lower;

import java.util.Map;
import java.util.Optional;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.ir.Shape;

/**
 * The loops of each kernel, chosen once every value has its storage: an elementwise kernel's loop
 * nest (one flat loop over the batch where storage allows), whether a tanh runs as one vectorized
 * call over the whole array, and whether a product is a call of the runtime GEMM kernel.
 */
final class LoopChoices implements Kernel.Visitor<Kernel> {
  /** Per-example multiply-adds from which a batched product goes to the runtime kernel. */
  static final int GEMM_MIN = 512;

  /** Elements from which a tanh over a whole unbatched value runs as one vectorized call. */
  static final int FAST_TANH_MIN = 64;

  /** Elements per example from which a tanh may run as one vectorized call. */
  static final int FAST_TANH_ROW = 8;

  private final Map<Node, Storage> storage;

  LoopChoices(Map<Node, Storage> storage) {
    this.storage = storage;
  }

  /** {@code k} with its loops chosen. */
  Kernel choose(Kernel k) {
    return k.accept(this);
  }

  /** Whether batched n can be indexed by one flat index over the whole batch. */
  static boolean contiguous(Node n, Map<Node, Storage> storage) {
    Storage s = storage.get(n);
    return s instanceof Storage.Buffer
        || s instanceof Storage.Arg a && a.offset() == 0 && a.stride() == n.shape().size();
  }

  @Override
  public Kernel elementwise(Kernel.Elementwise k) {
    Node out = k.out();
    // tanh(expr): the loops store expr, then one vectorized pass applies tanh in place
    boolean vectorTanh = out.is(Fn.TANH) && out.shape().size() >= FAST_TANH_ROW
        && (out.batched() ? contiguous(out, storage) : out.shape().size() >= FAST_TANH_MIN);
    return new Kernel.Elementwise(out, k.inlined(), loop(k), vectorTanh);
  }

  /**
   * The loops of an elementwise kernel: rows and columns when it reads a vector along the rows of
   * a matrix; one loop over the whole batch when its value and every value it reads of the same
   * shape are contiguous, the others unbatched scalars; else a loop per example.
   */
  private Kernel.Elementwise.Loop loop(Kernel.Elementwise k) {
    Node out = k.out();
    Shape s = out.shape();
    boolean flat = out.batched() && contiguous(out, storage);
    for (Node r : k.reads()) {
      if (r.shape().rank() == 1 && s.rank() == 2) {
        return Kernel.Elementwise.Loop.ROWS;
      }
      boolean scalarShared = !r.batched() && r.shape().isScalar();
      if (!(scalarShared || r.batched() && r.shape().equals(s) && contiguous(r, storage))) {
        flat = false;
      }
    }
    return flat ? Kernel.Elementwise.Loop.FLAT : Kernel.Elementwise.Loop.ELEMENTS;
  }

  @Override
  public Kernel product(Kernel.Product k) {
    Optional<Kernel.Gemm> g = gemm(k);
    if (g.isEmpty() && k.epilogue().isPresent()) {
      // Fusion makes a dense layer only of a product that runs on the kernel
      throw new IllegalStateException("a dense layer's product is not a kernel call: " + k);
    }
    return k.withGemm(g);
  }

  /** The runtime product for k, or empty when it stays a specialized loop nest. */
  private Optional<Kernel.Gemm> gemm(Kernel.Product k) {
    Node prod = k.product();
    Node x = k.left();
    Node y = prod.input(1);
    if (!inArray(x) || !inArray(y)) {
      return Optional.empty();
    }
    Kernel.Gemm g = null;
    if (k.leftTransposed() || k.outTransposed()) {
      // only a product read in place runs transposed through the kernel
      g = k.leftTransposed() ? stackedContraction(k, x, y) : null;
    } else if (k.batchSum() && prod.op() == Op.OUTER && x.batched() && y.batched()) {
      // sum over the batch of outer(x, y) = Xᵀ · Y
      g = new Kernel.Gemm(x, y, x.shape().dim(0), y.shape().dim(0), -1, true, false);
    } else if (!k.batchSum()) {
      g = perExample(prod);
    }
    if (g == null) {
      g = stacked(k, x, y);
    }
    return g == null || !large(g) ? Optional.empty() : Optional.of(g);
  }

  /**
   * The runtime product of a matrix product per example with unbatched weights, by shapes
   * alone: {@code x @ W} is {@code X · W}, {@code W @ d} is {@code D · Wᵀ}; null for any other.
   */
  static Kernel.Gemm perExample(Node prod) {
    if (prod.op() != Op.MATMUL) {
      return null;
    }
    Node x = prod.input(0);
    Node y = prod.input(1);
    if (x.batched() && !y.batched() && x.shape().rank() == 1 && y.shape().rank() == 2) {
      return new Kernel.Gemm(x, y, -1, y.shape().dim(1), x.shape().dim(0), false, false);
    }
    if (!x.batched() && y.batched() && x.shape().rank() == 2 && y.shape().rank() == 1) {
      return new Kernel.Gemm(y, x, -1, x.shape().dim(0), x.shape().dim(1), false, true);
    }
    return null;
  }

  /** Whether a product is large enough for the runtime kernel: below, a loop nest is faster. */
  static boolean large(Kernel.Gemm g) {
    int inner = (g.aTransposed() ? g.m() : g.k()) * g.rows();
    return g.n() >= 8 && (long) inner * g.n() >= GEMM_MIN;
  }

  /**
   * A product of per-example matrices whose examples' rows can be stacked into one product:
   * {@code X @ W} is [B·P, k] times [k, n] (a convolution's windows times its filters, and the
   * backward {@code Δ @ W} of its input).
   */
  private Kernel.Gemm stacked(Kernel.Product k, Node x, Node y) {
    Node prod = k.product();
    if (prod.op() != Op.MATMUL || x.shape().rank() != 2 || y.shape().rank() != 2) {
      return null;
    }
    if (!k.batchSum() && x.batched() && !y.batched() && contiguous(x, storage)
        && contiguous(k.out(), storage)) {
      return new Kernel.Gemm(x, y, -1, y.shape().dim(1), x.shape().dim(1), false, false,
          x.shape().dim(0));
    }
    return null;
  }

  /**
   * {@code Σ_b Aᵀ @ Y} of per-example matrices A [r, m] and Y [r, n] (A read in place): one
   * product contracting over the B·r stacked rows, {@code Aᵀ · Y} [m, n], or {@code Yᵀ · A}
   * [n, m] when the kernel stores it transposed (a convolution's filter gradient).
   */
  private Kernel.Gemm stackedContraction(Kernel.Product k, Node a, Node y) {
    if (!contiguous(a, storage) || !contiguous(y, storage)) {
      return null;
    }
    Node left = k.outTransposed() ? y : a;
    Node right = k.outTransposed() ? a : y;
    return new Kernel.Gemm(left, right, left.shape().dim(1), right.shape().dim(1), -1, true, false,
        a.shape().dim(0));
  }

  private boolean inArray(Node n) {
    Storage s = storage.get(n);
    return s instanceof Storage.Arg || s instanceof Storage.Buffer;
  }

  @Override
  public Kernel structural(Kernel.Structural k) {
    return k;
  }

  @Override
  public Kernel copy(Kernel.Copy k) {
    return k;
  }
}
