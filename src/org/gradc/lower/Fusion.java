package org.gradc.lower;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gradc.ir.Fn;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.runtime.Activation;

/**
 * The fusion decisions of a {@link Planner}: which nodes are computed inline in their consumer's
 * loop, and which batch sums (and batch means) of products are accumulated by the product kernel.
 * The result is one kernel per value that is stored.
 */
final class Fusion {
  private final List<Node> all;
  private final Set<Node> roots;
  private final Map<Node, Integer> uses = new HashMap<>();
  private final Set<Node> inlined = new HashSet<>();
  private final Map<Node, Integer> fusedSize = new HashMap<>();
  private final Set<Node> productInBatchSum = new HashSet<>();
  /** The kernels that store more than a product's batch sum, by the node they store. */
  private final Map<Node, Chain> chains = new HashMap<>();
  /** Nodes such a kernel computes on the way: never stored. */
  private final Set<Node> absorbed = new HashSet<>();
  /** Transposes whose product reads their input in place: never stored. */
  private final Set<Node> readInPlace = new HashSet<>();
  /** Dense layers, by the node they store; their products are never stored. */
  private final Map<Node, Dense> dense = new HashMap<>();
  private final Set<Node> denseProducts = new HashSet<>();

  private Fusion(List<Node> all, Set<Node> roots) {
    this.all = all;
    this.roots = roots;
    for (Node n : all) {
      for (Node in : n.inputs()) {
        uses.merge(in, 1, Integer::sum);
      }
    }
  }

  /**
   * The kernels computing {@code all} (in topological order), by the node each stores, in that
   * order; {@code roots} are values the caller reads, which are never inlined.
   */
  static Map<Node, Kernel> kernels(List<Node> all, Set<Node> roots) {
    return fuse(all, roots).kernels();
  }

  /**
   * The kernels, and the reshapes that are views: no kernel of their own, they live in the
   * storage of their input (a reshape keeps the order of the elements), by the node they view.
   */
  record Result(Map<Node, Kernel> kernels, Map<Node, Node> views) {}

  /** The kernels and views computing {@code all}; see {@link #kernels}. */
  static Result fuse(List<Node> all, Set<Node> roots) {
    Fusion f = new Fusion(all, roots);
    f.inlineAndAccumulate();
    f.denseLayers();
    f.productChains();
    Map<Node, Node> views = new HashMap<>();
    Map<Node, Kernel> kernels = f.build(views);
    return new Result(kernels, views);
  }

  /**
   * Inputs before users: a single-use elementwise input of the same shape and batching is inlined
   * while the loop computes at most {@link Planner#MAX_FUSED} nodes; a single-use product under
   * a batch sum is accumulated over the batch.
   */
  private void inlineAndAccumulate() {
    for (Node n : all) {
      if (Planner.isElementwise(n)) {
        int size = 1;
        for (Node in : new LinkedHashSet<>(n.inputs())) {
          if (Planner.isElementwise(in) && !roots.contains(in) && uses.get(in) == 1
              && in.shape().equals(n.shape()) && in.batched() == n.batched()
              && size + fusedSize.get(in) <= Planner.MAX_FUSED) {
            inlined.add(in);
            size += fusedSize.get(in);
          }
        }
        fusedSize.put(n, size);
      } else if (n.op() == Op.BATCH_SUM) {
        Node in = n.input(0);
        if ((in.op() == Op.MATMUL || in.op() == Op.OUTER) && uses.get(in) == 1
            && !roots.contains(in)) {
          productInBatchSum.add(in);
          if (readThrough(in)) {
            readInPlace.add(in.input(0));
          }
        }
      }
    }
  }

  /**
   * The system property that, set to {@code false}, plans dense layers as a product and an
   * elementwise kernel (the same bits, so the two can be compared and timed).
   */
  static final String DENSE_EPILOGUE = "gradc.denseEpilogue";

  /** A product whose kernel stores {@code act(product + bias)}. */
  private record Dense(Node product, Kernel.Epilogue epilogue) {}

  /**
   * Dense layers: {@code act(p + b)} with {@code act} relu, tanh or sigmoid (the sum inlined
   * into it, so used once), or {@code p + b} stored as it is, where {@code p} is a single-use
   * product per example that runs on the runtime kernel ({@link LoopChoices#perExample}, large
   * enough) and {@code b} an unbatched vector of the sum's shape kept in an array. The product
   * kernel adds the bias and applies the activation while the product is in the cache; the
   * elementwise kernel and the product's buffer go.
   */
  private void denseLayers() {
    if (!Boolean.parseBoolean(System.getProperty(DENSE_EPILOGUE, "true"))) {
      return;
    }
    for (Node n : all) {
      if (inlined.contains(n)) {
        continue;
      }
      Activation act = n.op() == Op.UNARY ? activation(n.fn()) : Activation.IDENTITY;
      Node sum = act == null || act == Activation.IDENTITY ? n : n.input(0);
      if (act == null || !sum.is(Fn.ADD) || sum != n && !inlined.contains(sum)) {
        continue;
      }
      for (int side = 0; side < 2; side++) {
        Node p = sum.input(side);
        Node bias = sum.input(1 - side);
        Kernel.Gemm g = LoopChoices.perExample(p);
        if (g != null && LoopChoices.large(g) && uses.get(p) == 1 && !roots.contains(p)
            && !bias.batched() && bias.shape().equals(sum.shape()) && sum.batched()
            && inArray(bias) && inArray(p.input(0)) && inArray(p.input(1))) {
          dense.put(n, new Dense(p, new Kernel.Epilogue(sum, bias, act)));
          denseProducts.add(p);
          break;
        }
      }
    }
  }

  /** The activations a dense layer's kernel applies, by function; null for any other. */
  private static Activation activation(Fn f) {
    return switch (f) {
      case RELU -> Activation.RELU;
      case TANH -> Activation.TANH;
      case SIGMOID -> Activation.SIGMOID;
      default -> null;
    };
  }

  /** Whether a value is kept in an array (not a literal, not a constant of the class). */
  private static boolean inArray(Node n) {
    return switch (n.op()) {
      case CONST, NUMBER, BATCH_SIZE -> false;
      case RESHAPE -> inArray(n.input(0));
      default -> true;
    };
  }

  /**
   * What a product kernel stores beyond its batch sum: {@code [transpose]…[/ B]} of
   * {@code batch_sum(product)}, each node in between used once, are done as the sums are
   * stored, and so is a reshape after the transpose (it keeps the order of the elements):
   * {@code reshape((Σ_b colsᵀ · Δ)ᵀ) / B}, a convolution's filter gradient, is one kernel.
   */
  private record Chain(Node product, boolean mean, boolean transposed) {}

  private void productChains() {
    for (int i = all.size() - 1; i >= 0; i--) {
      Node n = all.get(i);
      if (absorbed.contains(n) || inlined.contains(n)) {
        continue;
      }
      List<Node> below = new ArrayList<>();
      Node x = n;
      boolean mean = x.is(Fn.DIV) && fusedSize.get(x) == 1
          && x.input(1).op() == Op.BATCH_SIZE;
      if (mean) {
        x = step(x, below);
      }
      boolean transposed = false;
      if (x.op() == Op.RESHAPE && x.input(0).op() == Op.TRANSPOSE) {
        x = step(x, below);
      }
      if (x.op() == Op.TRANSPOSE && x.input(0).op() == Op.BATCH_SUM) {
        transposed = true;
        x = step(x, below);
      }
      if (x == n || x.op() != Op.BATCH_SUM || !productInBatchSum.contains(x.input(0))
          || x.batched() || below.stream().anyMatch(b -> uses.get(b) != 1 || roots.contains(b))) {
        continue;
      }
      chains.put(n, new Chain(x.input(0), mean, transposed));
      absorbed.addAll(below);
    }
  }

  /** x's input, which {@code below} records. */
  private static Node step(Node x, List<Node> below) {
    below.add(x.input(0));
    return x.input(0);
  }

  /**
   * {@code transpose(A)} as the left operand of a product summed over the batch, when A and the
   * right operand are per-example matrices: the kernel reads A in place (the examples' rows
   * stacked, it is one product over B·rows) and the transpose is not stored.
   */
  private boolean readThrough(Node prod) {
    Node t = prod.input(0);
    return prod.op() == Op.MATMUL && t.op() == Op.TRANSPOSE && uses.get(t) == 1
        && !roots.contains(t) && t.input(0).batched() && prod.input(1).batched()
        && prod.input(1).shape().rank() == 2;
  }

  private Map<Node, Kernel> build(Map<Node, Node> views) {
    Map<Node, Kernel> kernels = new LinkedHashMap<>();
    for (Node n : all) {
      if (n.op().isLeaf() || inlined.contains(n) || productInBatchSum.contains(n)
          || absorbed.contains(n) || readInPlace.contains(n) || denseProducts.contains(n)) {
        continue;
      }
      Kernel k;
      Chain c = chains.get(n);
      if (c == null && n.op() == Op.RESHAPE) {
        // its input is stored (nothing is inlined into a reshape), so it is read in place
        Node of = n.input(0);
        views.put(n, views.getOrDefault(of, of));
        continue;
      }
      if (dense.containsKey(n)) {
        k = new Kernel.Product(n, dense.get(n).product(), dense.get(n).epilogue());
      } else if (c != null) {
        k = new Kernel.Product(n, c.product(), true, c.mean(),
            readInPlace.contains(c.product().input(0)), c.transposed());
      } else if (Planner.isElementwise(n)) {
        List<Node> fused = new ArrayList<>();
        collectInlined(n, fused);
        fused.sort(Comparator.comparingInt(Node::id));
        k = new Kernel.Elementwise(n, fused);
      } else if (n.op() == Op.MATMUL || n.op() == Op.OUTER) {
        k = new Kernel.Product(n, n, false);
      } else if (n.op() == Op.BATCH_SUM && productInBatchSum.contains(n.input(0))) {
        k = new Kernel.Product(n, n.input(0), true, false,
            readInPlace.contains(n.input(0).input(0)), false);
      } else {
        k = new Kernel.Structural(n);
      }
      kernels.put(n, k);
    }
    return kernels;
  }

  private void collectInlined(Node n, List<Node> out) {
    for (Node in : n.inputs()) {
      if (inlined.contains(in) && !out.contains(in)) {
        out.add(in);
        collectInlined(in, out);
      }
    }
  }
}
