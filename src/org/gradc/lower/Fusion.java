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
  /** batch_sum(product) / B, by the division: the product. */
  private final Map<Node, Node> meanOfProduct = new HashMap<>();
  private final Set<Node> sumInMean = new HashSet<>();

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
    Fusion f = new Fusion(all, roots);
    f.inlineAndAccumulate();
    f.meansOfProducts();
    return f.build();
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
        }
      }
    }
  }

  /** batch_sum(product) / B: the division is done as the product's sums are stored. */
  private void meansOfProducts() {
    for (Node n : all) {
      if (n.is(Fn.DIV) && !inlined.contains(n) && fusedSize.get(n) == 1
          && n.input(1).op() == Op.BATCH_SIZE && n.input(0).op() == Op.BATCH_SUM) {
        Node sum = n.input(0);
        if (productInBatchSum.contains(sum.input(0)) && uses.get(sum) == 1
            && !roots.contains(sum) && sum.shape().equals(n.shape())
            && sum.batched() == n.batched()) {
          meanOfProduct.put(n, sum.input(0));
          sumInMean.add(sum);
        }
      }
    }
  }

  private Map<Node, Kernel> build() {
    Map<Node, Kernel> kernels = new LinkedHashMap<>();
    for (Node n : all) {
      if (n.op().isLeaf() || inlined.contains(n) || productInBatchSum.contains(n)
          || sumInMean.contains(n)) {
        continue;
      }
      Kernel k;
      if (meanOfProduct.containsKey(n)) {
        k = new Kernel.Product(n, meanOfProduct.get(n), true, true);
      } else if (Planner.isElementwise(n)) {
        List<Node> fused = new ArrayList<>();
        collectInlined(n, fused);
        fused.sort(Comparator.comparingInt(Node::id));
        k = new Kernel.Elementwise(n, fused);
      } else if (n.op() == Op.MATMUL || n.op() == Op.OUTER) {
        k = new Kernel.Product(n, n, false);
      } else if (n.op() == Op.BATCH_SUM && productInBatchSum.contains(n.input(0))) {
        k = new Kernel.Product(n, n.input(0), true);
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
