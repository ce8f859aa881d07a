package org.gradc.lower;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gradc.ir.Node;

/**
 * One step of a {@link Plan}: a loop nest that computes the value of {@link #out()} into its
 * {@link Storage} from values computed before it. Every kernel writes every element of its output
 * (no kernel relies on a buffer having been zeroed), so workspaces can be reused across calls.
 */
public sealed interface Kernel {
  /** The node whose value this kernel stores. */
  Node out();

  /**
   * A fused elementwise loop: {@code out} and the nodes in {@code inlined} (single-use
   * elementwise values of the same shape, in topological order) are computed in one pass, the
   * inlined ones as subexpressions that are never stored.
   */
  record Elementwise(Node out, List<Node> inlined) implements Kernel {
    public Elementwise {
      inlined = List.copyOf(inlined);
    }

    @Override
    public List<Node> reads() {
      Set<Node> fused = new HashSet<>(inlined);
      fused.add(out);
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
  }

  /**
   * A matrix or outer product over the batch. {@code product} is a MATMUL or OUTER node; when
   * {@code batchSum} is set, {@code out} is {@code batch_sum(product)} and the product is
   * accumulated over the examples without being stored (for {@code x @ W} that is the GEMM
   * X[B, n] @ W[n, m]; for the gradient {@code batch_sum(outer(x, delta))} it is X^T Delta).
   * When {@code batchMean} is set, {@code out} is {@code batch_sum(product) / B}: the sum is
   * divided by the batch size as it is stored (a parameter gradient, without a pass of its own).
   */
  record Product(Node out, Node product, boolean batchSum, boolean batchMean) implements Kernel {
    public Product(Node out, Node product, boolean batchSum) {
      this(out, product, batchSum, false);
    }

    @Override
    public List<Node> reads() {
      return product.inputs();
    }
  }

  /** Transpose, index, place, reductions, softmax-like ops along the last axis, batch reductions. */
  record Structural(Node out) implements Kernel {
    @Override
    public List<Node> reads() {
      return out.inputs();
    }
  }

  /** Copies a value (of any storage, or a literal) into {@code dest}, e.g. a parameter's gradient. */
  record Copy(Node out, Storage.Arg dest) implements Kernel {
    @Override
    public List<Node> reads() {
      return List.of(out);
    }
  }

  /** The nodes whose values this kernel reads (inlined nodes are computed, not read). */
  List<Node> reads();
}
