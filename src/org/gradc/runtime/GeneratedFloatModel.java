package org.gradc.runtime;

/**
 * A generated class computing in {@code float} (see {@link GeneratedCode}): the same entry
 * points as {@link GeneratedModel} on {@code float} arrays.
 */
public interface GeneratedFloatModel extends GeneratedCode {
  /**
   * The batch-mean loss; writes the whole gradient into {@code grad}.
   *
   * @param theta the parameters
   * @param inputs the batch's inputs
   * @param targets the batch's targets
   * @param batchSize the number of examples
   * @param grad receives the gradient
   * @param ws the workspace arrays
   * @return the loss
   */
  float lossAndGradient(float[] theta, float[] inputs, float[] targets, int batchSize,
      float[] grad, float[][] ws);

  /**
   * Writes {@code batchSize} examples of outputs into {@code out}. {@code targets} is only read
   * when an output depends on a target.
   *
   * @param theta the parameters
   * @param inputs the batch's inputs
   * @param targets the batch's targets
   * @param batchSize the number of examples
   * @param out receives the outputs
   * @param ws the workspace arrays
   */
  void predict(float[] theta, float[] inputs, float[] targets, int batchSize, float[] out,
      float[][] ws);
}
