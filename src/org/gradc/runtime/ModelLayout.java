package org.gradc.runtime;

import java.util.List;

/**
 * Where a model's values live in the flat exchange vectors, and how its parameters start: what a
 * values or parameter file needs, known as soon as the model is checked (no compiled class
 * needed). Vectors are row-major; a batch is B consecutive examples.
 */
public interface ModelLayout {
  /**
   * The model's name.
   *
   * @return the name of the {@code model} block
   */
  String name();

  /**
   * The parameters in declaration order, laid out one after another in the parameter vector.
   *
   * @return name, shape, offset and size of each parameter
   */
  List<TensorSpec> parameters();

  /**
   * The inputs, laid out within one example of the input batch.
   *
   * @return name, shape, offset and size of each input
   */
  List<TensorSpec> inputs();

  /**
   * The targets, laid out within one example of the target batch.
   *
   * @return name, shape, offset and size of each target
   */
  List<TensorSpec> targets();

  /**
   * The outputs, laid out within one example of the predictions.
   *
   * @return name, shape, offset and size of each output
   */
  List<TensorSpec> outputs();

  /**
   * The length of the parameter vector.
   *
   * @return the number of trainable scalars
   */
  default int parameterCount() {
    return width(parameters());
  }

  /**
   * Scalars per example in the input batch.
   *
   * @return the summed size of the inputs
   */
  default int inputWidth() {
    return width(inputs());
  }

  /**
   * Scalars per example in the target batch.
   *
   * @return the summed size of the targets
   */
  default int targetWidth() {
    return width(targets());
  }

  /**
   * Scalars per example in the predictions.
   *
   * @return the summed size of the outputs
   */
  default int outputWidth() {
    return width(outputs());
  }

  /**
   * Fresh parameters from each param's declared initializer; the same seed gives the same
   * vector.
   *
   * @param seed the seed of the random initializers
   * @return a new parameter vector of {@link #parameterCount()} elements
   */
  double[] initialParameters(long seed);

  private static int width(List<TensorSpec> specs) {
    return specs.stream().mapToInt(TensorSpec::size).sum();
  }
}
