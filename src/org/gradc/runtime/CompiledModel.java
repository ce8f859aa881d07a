package org.gradc.runtime;

import java.util.List;

/**
 * A model compiled to Java and loaded. Exchange format: flat {@code double[]} vectors, row-major.
 * Parameters are one vector laid out by {@link #parameters()}; a batch of inputs is B consecutive
 * examples, each the concatenation of the inputs in {@link #inputs()} order (likewise targets and
 * outputs). Implementations are immutable and safe to call from several threads at once.
 *
 * <p>Array arguments are never kept: a caller may reuse its arrays for the next call. Array
 * lengths are checked: {@code theta} must have exactly {@link #parameterCount()} elements, a
 * batch of {@code inputs} at least {@code batchSize × inputWidth()} (likewise targets; extra
 * elements are ignored). A wrong length or a {@code batchSize} below 1 throws
 * {@link IllegalArgumentException}, a null array {@link NullPointerException}. Each thread
 * evaluates in its own scratch space, so after a thread's first call at its largest batch size,
 * {@link #lossAndGradient} allocates nothing.
 *
 * <p>A model computes in its {@link #precision()}: f64 ({@code double}, the default) or f32
 * ({@code float}, {@code Model.compile(Precision.F32)}). Both exchange types work with either:
 * the {@code double[]} methods on an f32 model round the arguments to {@code float} and widen
 * the results (into per-thread arrays, so warm calls still allocate nothing); the
 * {@code float[]} methods ({@link #lossAndGradient(float[], float[], float[], int, float[])},
 * {@link #predict(float[], float[], float[], int)}) pass an f32 model's arrays straight through,
 * and on an f64 model widen them. The Hessian-vector products and per-example gradients of an
 * f32 model are computed in f64.
 */
public interface CompiledModel extends ModelLayout {
  /**
   * The model's name, as written after {@code model}.
   *
   * @return the name, e.g. {@code Xor}
   */
  String name();

  /**
   * The layout of the parameter vector {@code theta}: every {@code param} and layer parameter
   * ({@code h.W}, {@code h.b}) in declaration order, each with its offset into the one vector.
   *
   * @return the parameters in vector order (unmodifiable)
   */
  List<TensorSpec> parameters();

  /**
   * Per-example layout of the inputs (offsets within one example).
   *
   * @return the inputs in declaration order (unmodifiable)
   */
  List<TensorSpec> inputs();

  /**
   * Per-example layout of the targets (offsets within one example).
   *
   * @return the targets in declaration order (unmodifiable; empty for a model without targets)
   */
  List<TensorSpec> targets();

  /**
   * Per-example layout of the outputs (offsets within one example's predictions).
   *
   * @return the outputs in the order the model lists them (unmodifiable)
   */
  List<TensorSpec> outputs();

  /**
   * The number of scalars in the parameter vector.
   *
   * @return the length {@code theta} must have: the sum of the parameters' sizes
   */
  int parameterCount();

  /**
   * Scalars per example in the input vector.
   *
   * @return the sum of the inputs' sizes
   */
  int inputWidth();

  /**
   * Scalars per example in the target vector.
   *
   * @return the sum of the targets' sizes (0 without targets)
   */
  int targetWidth();

  /**
   * Scalars per example in the output vector.
   *
   * @return the sum of the outputs' sizes
   */
  int outputWidth();

  /**
   * Fresh parameters from each param's declared initializer. Random initializers draw from one
   * {@link java.util.Random} seeded with {@code seed}, parameter by parameter in vector order, so
   * the same seed gives the same vector on every JDK.
   *
   * @param seed the seed of the random initializers
   * @return a new vector of {@link #parameterCount()} values laid out by {@link #parameters()}
   */
  double[] initialParameters(long seed);

  /**
   * The batch-mean loss and its gradient with respect to {@code theta}, in one forward and one
   * backward pass. Reads but does not change {@code theta}, {@code inputs} and {@code targets}.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, {@code batchSize × targetWidth()} values
   * @param batchSize the number of examples, at least 1
   * @param gradOut receives the gradient of the batch-mean loss, laid out as {@code theta}; its
   *     first {@link #parameterCount()} elements are overwritten
   * @return the loss, averaged over the batch
   * @throws IllegalArgumentException when an array is too short, {@code theta} is not exactly
   *     {@link #parameterCount()} long, or {@code batchSize} is below 1
   */
  double lossAndGradient(double[] theta, double[] inputs, double[] targets, int batchSize, double[] gradOut);

  /**
   * The element type the model's parameters, activations and gradients are computed in.
   *
   * @return {@link Precision#F64} unless the model was compiled for f32
   */
  default Precision precision() {
    return Precision.F64;
  }

  /**
   * {@link #lossAndGradient(double[], double[], double[], int, double[])} on {@code float}
   * arrays: without conversion on an f32 model.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, {@code batchSize × targetWidth()} values
   * @param batchSize the number of examples, at least 1
   * @param gradOut receives the gradient of the batch-mean loss, laid out as {@code theta}
   * @return the loss, averaged over the batch, as a {@code float}
   * @throws IllegalArgumentException when an array is too short, {@code theta} is not exactly
   *     {@link #parameterCount()} long, or {@code batchSize} is below 1
   */
  float lossAndGradient(float[] theta, float[] inputs, float[] targets, int batchSize,
      float[] gradOut);

  /**
   * {@link #predict(double[], double[], double[], int)} on {@code float} arrays: without
   * conversion on an f32 model.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, or null when no output reads a target
   * @param batchSize the number of examples, at least 1
   * @return a new array of {@code batchSize × outputWidth()} values
   * @throws IllegalArgumentException when {@code targets} is null but an output reads a target,
   *     for a wrong array length, or a {@code batchSize} below 1
   */
  float[] predict(float[] theta, float[] inputs, float[] targets, int batchSize);

  /**
   * The Hessian of the batch-mean loss times a direction, H·v, without forming H: the gradient of
   * g(θ)·v, generated as a second class (compiled on first use) by differentiating the simplified
   * gradient again. Costs a small multiple of one {@link #lossAndGradient} call.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param direction the direction v, laid out as {@code theta}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, {@code batchSize × targetWidth()} values
   * @param batchSize the number of examples, at least 1
   * @param out receives H·v, laid out as {@code theta}; its first {@link #parameterCount()}
   *     elements are overwritten
   * @return the directional derivative g(θ)·v of the batch-mean loss
   * @throws IllegalArgumentException when an array has the wrong length or {@code batchSize} is
   *     below 1
   */
  double hessianVectorProduct(double[] theta, double[] direction, double[] inputs,
      double[] targets, int batchSize, double[] out);

  /**
   * The gradient of each example's own loss (not the batch mean), in one pass over the batch:
   * row b of {@code out} is ∂loss_b/∂θ, laid out as {@code theta}. Their mean is the gradient of
   * {@link #lossAndGradient}. Generated as a second class (compiled on first use) whose
   * predictions are these rows.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, {@code batchSize × targetWidth()} values
   * @param batchSize the number of examples, at least 1
   * @param out receives {@code batchSize × parameterCount()} values, the [B, P] matrix row-major
   * @throws IllegalArgumentException when an array has the wrong length or {@code batchSize} is
   *     below 1
   */
  void perExampleGradients(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] out);

  /**
   * The outputs for each example, {@code batchSize * outputWidth()} values.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param batchSize the number of examples, at least 1
   * @return a new array of {@code batchSize × outputWidth()} values, one row of outputs per
   *     example in {@link #outputs()} order
   * @throws IllegalArgumentException when an output is computed from a target (see
   *     {@link #predictReadsTargets()}); use {@link #predict(double[], double[], double[], int)};
   *     also for a wrong array length or a {@code batchSize} below 1
   */
  double[] predict(double[] theta, double[] inputs, int batchSize);

  /**
   * The outputs for each example, given the targets too: an output such as a residual
   * {@code err = yhat - y} is computed from them. {@code targets} may be null when
   * {@link #predictReadsTargets()} is false.
   *
   * @param theta the parameters, laid out by {@link #parameters()}
   * @param inputs {@code batchSize} examples, {@code batchSize × inputWidth()} values row-major
   * @param targets the same examples' targets, {@code batchSize × targetWidth()} values, or null
   * @param batchSize the number of examples, at least 1
   * @return a new array of {@code batchSize × outputWidth()} values, one row of outputs per
   *     example in {@link #outputs()} order
   * @throws IllegalArgumentException when {@code targets} is null but an output reads a target,
   *     for a wrong array length, or a {@code batchSize} below 1
   */
  double[] predict(double[] theta, double[] inputs, double[] targets, int batchSize);

  /**
   * Whether some output is computed from a target, so that predicting needs the targets.
   *
   * @return true when {@link #predict(double[], double[], int)} would throw for lack of targets
   */
  boolean predictReadsTargets();

  /**
   * The names of the targets an output is computed from (empty for outputs, such as a
   * prediction {@code yhat}, that need none).
   *
   * @param output the name of one of {@link #outputs()}
   * @return the target names in alphabetical order (unmodifiable)
   * @throws IllegalArgumentException when the model has no output of that name
   */
  List<String> targetsReadBy(String output);

  /**
   * The defaults of the model's {@code train} block, which {@code Trainer.fromDefaults} applies.
   *
   * @return the declared settings; {@link TrainSpec#NONE} without a block
   */
  TrainSpec trainDefaults();

  /**
   * The Java source this model was compiled from, readable and deterministic: the same model
   * text always gives the same source.
   *
   * @return the generated class's complete source
   */
  String javaSource();
}
