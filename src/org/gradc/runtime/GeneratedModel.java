package org.gradc.runtime;

/** A generated class computing in {@code double} (see {@link GeneratedCode}). */
public interface GeneratedModel extends GeneratedCode {
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
