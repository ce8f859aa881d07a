package org.gradc.lower;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.gradc.ir.Node;

/**
 * One call of an entry point in a {@link Plan}: a kernel on its own, or a run of consecutive
 * kernels fused into one loop over the batch.
 */
public sealed interface Step {
  /** The kernels this step runs, in order. */
  List<Kernel> kernels();

  /** {@code single} or {@code fused} applied to this step: an exhaustive dispatch. */
  <R> R match(Function<Single, R> single, Function<Fused, R> fused);

  /** One kernel, called as its own method. */
  record Single(Kernel kernel) implements Step {
    @Override
    public List<Kernel> kernels() {
      return List.of(kernel);
    }

    @Override
    public <R> R match(Function<Single, R> single, Function<Fused, R> fused) {
      return single.apply(this);
    }
  }

  /**
   * At least two kernels run in one loop over {@code B * elements} (values of the current element
   * passed on in local variables): flat elementwise kernels of {@code elements} values per
   * example, and (when {@code elements} is 1) batch sums and means of such values, accumulated in
   * the loop; then, once after it, the last {@code afterLoop} kernels: scalar elementwise kernels
   * of those sums (a scalar parameter's gradient), which read them from locals.
   *
   * @param stored the outputs whose values are also stored (read outside the run, or by the
   *     caller); the others live only in locals
   */
  record Fused(List<Kernel> kernels, int elements, Set<Node> stored, int afterLoop)
      implements Step {
    public Fused {
      kernels = List.copyOf(kernels);
      stored = Set.copyOf(stored);
      if (afterLoop < 0 || afterLoop >= kernels.size()) {
        throw new IllegalArgumentException("a run computes " + afterLoop + " of its "
            + kernels.size() + " kernels after its loop");
      }
    }

    /** The kernels computed in the loop, in order. */
    public List<Kernel> inLoop() {
      return kernels.subList(0, kernels.size() - afterLoop);
    }

    /** The kernels computed once after the loop, in order. */
    public List<Kernel> after() {
      return kernels.subList(kernels.size() - afterLoop, kernels.size());
    }

    @Override
    public <R> R match(Function<Single, R> single, Function<Fused, R> fused) {
      return fused.apply(this);
    }
  }
}
