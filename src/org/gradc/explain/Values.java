package org.gradc.explain;

import java.util.Map;

/**
 * Concrete values for every leaf of a model: parameters and one batch of inputs and targets, in
 * the flat row-major layout of {@link org.gradc.ir.Evaluator} (the command line reads them from
 * the same values file as {@code gradc eval}).
 *
 * @param batchSize number of examples B in the batch
 * @param leaves value of every param (unbatched) and input/target (B blocks) by DSL name
 * @param example the example whose numbers the story shows, 0 to B − 1
 */
public record Values(int batchSize, Map<String, double[]> leaves, int example) {
  public Values {
    leaves = Map.copyOf(leaves);
    if (example < 0 || example >= batchSize) {
      throw new IllegalArgumentException("example " + example + " of a batch of " + batchSize);
    }
  }

  /** Values whose story shows the first example. */
  public Values(int batchSize, Map<String, double[]> leaves) {
    this(batchSize, leaves, 0);
  }
}
