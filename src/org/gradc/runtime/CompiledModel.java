package org.gradc.runtime;

import java.util.List;
import org.gradc.runtime.TrainSpec;

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

  /**
   * The outputs for each example, {@code batchSize * outputWidth()} values.
   *
   * @throws IllegalArgumentException when an output is computed from a target (see
   *     {@link #predictReadsTargets()}); use {@link #predict(double[], double[], double[], int)}
   */
  double[] predict(double[] theta, double[] inputs, int batchSize);

  /**
   * The outputs for each example, given the targets too: an output such as a residual
   * {@code err = yhat - y} is computed from them. {@code targets} may be null when
   * {@link #predictReadsTargets()} is false.
   */
  double[] predict(double[] theta, double[] inputs, double[] targets, int batchSize);

  /** Whether some output is computed from a target, so that predicting needs the targets. */
  boolean predictReadsTargets();

  /**
   * The names of the targets an output is computed from (empty for outputs, such as a
   * prediction {@code yhat}, that need none).
   *
   * @throws IllegalArgumentException when the model has no output of that name
   */
  List<String> targetsReadBy(String output);

  /** The defaults of the model's {@code train} block. */
  TrainSpec trainDefaults();

  /** The Java source this model was compiled from. */
  String javaSource();
}
