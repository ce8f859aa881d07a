package org.gradc.runtime;

import java.util.List;
import org.gradc.sema.TrainSpec;

/**
 * A model compiled to Java and loaded. Exchange format: flat {@code double[]} vectors, row-major.
 * Parameters are one vector laid out by {@link #parameters()}; a batch of inputs is B consecutive
 * examples, each the concatenation of the inputs in {@link #inputs()} order (likewise targets and
 * outputs). Implementations are immutable and safe to call from several threads at once.
 */
public interface CompiledModel {
  String name();

  List<TensorSpec> parameters();

  /** Per-example layout of the inputs (offsets within one example). */
  List<TensorSpec> inputs();

  List<TensorSpec> targets();

  List<TensorSpec> outputs();

  int parameterCount();

  /** Scalars per example in the input vector. */
  int inputWidth();

  int targetWidth();

  int outputWidth();

  /** Fresh parameters from each param's declared initializer; the same seed gives the same vector. */
  double[] initialParameters(long seed);

  /**
   * The batch-mean loss; writes its gradient with respect to {@code theta} into {@code gradOut}
   * (overwritten, length {@link #parameterCount()}).
   */
  double lossAndGradient(double[] theta, double[] inputs, double[] targets, int batchSize, double[] gradOut);

  /** The outputs for each example, {@code batchSize * outputWidth()} values. */
  double[] predict(double[] theta, double[] inputs, int batchSize);

  /** The defaults of the model's {@code train} block. */
  TrainSpec trainDefaults();

  /** The Java source this model was compiled from. */
  String javaSource();
}
