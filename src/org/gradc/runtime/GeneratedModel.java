package org.gradc.runtime;

/**
 * What every generated model class implements. Generated classes are stateless: all scratch
 * space is in the workspace arrays the caller passes, laid out by {@link #workspaceLayout()}.
 * Arrays are flat and row-major, as described in {@link CompiledModel}.
 */
public interface GeneratedModel {
  /**
   * The workspace arrays, separated by spaces: each is its per-example size followed by
   * {@code b} when it holds one block per example (then it needs {@code size * batchSize}
   * elements), e.g. {@code "4b 4b 1"}.
   */
  String workspaceLayout();

  /** The batch-mean loss; writes the whole gradient into {@code grad}. */
  double lossAndGradient(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] grad, double[][] ws);

  /**
   * Writes {@code batchSize} examples of outputs into {@code out}. {@code targets} is only read
   * when an output depends on a target.
   */
  void predict(double[] theta, double[] inputs, double[] targets, int batchSize, double[] out,
      double[][] ws);
}
