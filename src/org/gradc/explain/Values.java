package org.gradc.explain;

import java.util.Map;

/**
 * Concrete values for every leaf of a model: parameters and one batch of inputs and targets, in
 * the flat row-major layout of {@link org.gradc.ir.Evaluator} (the command line reads them from
 * the same values file as {@code gradc eval}).
 *
 * @param batchSize number of examples B in the batch
 * @param leaves value of every param (unbatched) and input/target (B blocks) by DSL name
 */
public record Values(int batchSize, Map<String, double[]> leaves) {
  public Values {
    leaves = Map.copyOf(leaves);
  }
}
