package org.gradc.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@link CompiledModel} of a generated class loaded in this JVM, in either precision: a
 * {@link GeneratedModel} (f64) or a {@link GeneratedFloatModel} (f32), called directly with
 * arrays of its element type and through converted copies with the other. Immutable; each
 * thread gets its own {@link Workspace} (a {@link ThreadLocal}), so calls from several threads
 * at once neither share scratch space nor allocate after a thread's first call at its largest
 * batch.
 */
public final class LoadedModel implements CompiledModel {
  private final String name;
  private final List<TensorSpec> parameters;
  private final List<InitSpec> inits;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> targets;
  private final List<TensorSpec> outputs;
  private final Map<String, List<String>> outputTargets;
  private final TrainSpec train;
  private final String source;
  private final String className;
  private final GeneratedCode code;
  private final Precision precision;
  private final int parameterCount;
  private final int inputWidth;
  private final int targetWidth;
  private final int outputWidth;
  private final ThreadLocal<Workspace> workspace;
  /**
   * The workspace of the thread that called last: checked against the current thread before the
   * thread-local lookup (most models are called from one thread). Racy by design: any thread
   * reading it uses it only when it is its own.
   */
  private Workspace lastWorkspace;
  private final Supplier<LoadedModel> secondOrder;
  private final Supplier<LoadedModel> perExample;
  private final Layout layout;
  /** Per thread: [θ; v] and [H·v; g] for the directional model. */
  private final ThreadLocal<double[][]> joined;

  /**
   * Everything about a model except its code: names, layouts, initializers, train defaults, and
   * for each output that is computed from targets, the names of those targets.
   */
  public record Layout(String name, List<TensorSpec> parameters, List<InitSpec> inits,
      List<TensorSpec> inputs, List<TensorSpec> targets, List<TensorSpec> outputs,
      Map<String, List<String>> outputTargets, TrainSpec train) implements ModelLayout {
    public Layout {
      parameters = List.copyOf(parameters);
      inits = List.copyOf(inits);
      inputs = List.copyOf(inputs);
      targets = List.copyOf(targets);
      outputs = List.copyOf(outputs);
      outputTargets = Collections.unmodifiableMap(new LinkedHashMap<>(outputTargets));
      if (inits.size() != parameters.size()) {
        throw new IllegalArgumentException("one initializer per parameter");
      }
    }

    /** Fresh parameters from the declared initializers. */
    @Override
    public double[] initialParameters(long seed) {
      return Initializers.initialize(parameters, inits, seed);
    }
  }

  public LoadedModel(Layout layout, String className, String source, GeneratedCode code) {
    this(layout, className, source, code, () -> {
      throw new IllegalStateException("model " + layout.name()
          + " was loaded without its derivative classes; compile it through Gradc");
    }, null);
  }

  /**
   * A model whose Hessian-vector products come from {@code secondOrder}, the loaded directional
   * model (parameters θ then v, gradient H·v then g), and whose per-example gradients are the
   * predictions of {@code perExample} (or of {@code secondOrder}'s error when null).
   */
  private LoadedModel(Layout layout, String className, String source, GeneratedCode code,
      Supplier<LoadedModel> secondOrder, Supplier<LoadedModel> perExample) {
    this.name = layout.name();
    this.parameters = layout.parameters();
    this.inits = layout.inits();
    this.inputs = layout.inputs();
    this.targets = layout.targets();
    this.outputs = layout.outputs();
    this.outputTargets = layout.outputTargets();
    this.train = layout.train();
    this.className = className;
    this.source = source;
    this.code = code;
    this.precision = code instanceof GeneratedFloatModel ? Precision.F32 : Precision.F64;
    this.parameterCount = width(parameters);
    this.inputWidth = width(inputs);
    this.targetWidth = width(targets);
    this.outputWidth = width(outputs);
    String wsLayout = code.workspaceLayout();
    this.workspace = ThreadLocal.withInitial(() -> Workspace.parse(wsLayout, precision));
    this.secondOrder = secondOrder;
    this.perExample = perExample == null ? secondOrder : perExample;
    this.layout = layout;
    this.joined = ThreadLocal.withInitial(
        () -> new double[][] {new double[2 * parameterCount], new double[2 * parameterCount]});
  }

  /**
   * This model with its Hessian-vector products and per-example gradients computed by two more
   * loaded classes. The suppliers are called on every call, so they should cache.
   *
   * @param directional the compiled directional model (see {@link #hessianVectorProduct})
   * @param perExample the compiled per-example model, whose predictions are the rows of
   *     {@link #perExampleGradients}
   * @return a model sharing this one's code
   */
  public LoadedModel withDerivatives(Supplier<LoadedModel> directional,
      Supplier<LoadedModel> perExample) {
    return new LoadedModel(layout, className, source, code, directional, perExample);
  }

  @Override
  public void perExampleGradients(double[] theta, double[] inputs, double[] targets,
      int batchSize, double[] out) {
    check(theta, inputs, batchSize);
    requireLength("targets", targets, (long) batchSize * targetWidth);
    requireLength("out", out, (long) batchSize * parameterCount);
    perExample.get().predict(theta, inputs, targets, batchSize, out);
  }

  @Override
  public double hessianVectorProduct(double[] theta, double[] direction, double[] inputs,
      double[] targets, int batchSize, double[] out) {
    check(theta, inputs, batchSize);
    requireLength("targets", targets, (long) batchSize * targetWidth);
    Objects.requireNonNull(direction, "direction");
    if (direction.length != parameterCount) {
      throw new IllegalArgumentException("direction has " + direction.length
          + " elements, expected " + parameterCount);
    }
    requireLength("out", out, parameterCount);
    LoadedModel directional = secondOrder.get();
    double[][] buffers = joined.get();
    double[] thetaV = buffers[0];
    System.arraycopy(theta, 0, thetaV, 0, parameterCount);
    System.arraycopy(direction, 0, thetaV, parameterCount, parameterCount);
    double gv = directional.lossAndGradient(thetaV, inputs, targets, batchSize, buffers[1]);
    System.arraycopy(buffers[1], 0, out, 0, parameterCount);
    return gv;
  }

  /** Compiles {@code source} (or takes it from the cache) and wraps it. */
  public static LoadedModel load(Layout layout, String qualifiedName, String source) {
    VectorModule.warnIfAbsent();
    return new LoadedModel(layout, qualifiedName, source, ClassCompiler.load(qualifiedName, source));
  }

  private static int width(List<TensorSpec> specs) {
    return specs.stream().mapToInt(TensorSpec::size).sum();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<TensorSpec> parameters() {
    return parameters;
  }

  @Override
  public List<TensorSpec> inputs() {
    return inputs;
  }

  @Override
  public List<TensorSpec> targets() {
    return targets;
  }

  @Override
  public List<TensorSpec> outputs() {
    return outputs;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public int inputWidth() {
    return inputWidth;
  }

  @Override
  public int targetWidth() {
    return targetWidth;
  }

  @Override
  public int outputWidth() {
    return outputWidth;
  }

  /** The declared initializer of each parameter, in {@link #parameters()} order. */
  public List<InitSpec> initializers() {
    return inits;
  }

  /** The fully qualified name of the generated class. */
  public String className() {
    return className;
  }

  @Override
  public double[] initialParameters(long seed) {
    return Initializers.initialize(parameters, inits, seed);
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public double lossAndGradient(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] gradOut) {
    Objects.requireNonNull(theta, "theta");
    Objects.requireNonNull(gradOut, "gradOut");
    checkStep(theta.length, length("inputs", inputs), length("targets", targets), gradOut.length,
        batchSize);
    Workspace ws = workspace();
    if (code instanceof GeneratedModel d) {
      return d.lossAndGradient(theta, inputs, targets, batchSize, gradOut, ws.forBatch(batchSize));
    }
    float[] grad = ws.narrow(Workspace.RESULT, null, parameterCount);
    float loss = ((GeneratedFloatModel) code).lossAndGradient(
        ws.narrow(Workspace.THETA, theta, parameterCount),
        ws.narrow(Workspace.INPUTS, inputs, batchSize * inputWidth),
        ws.narrow(Workspace.TARGETS, targets, batchSize * targetWidth), batchSize, grad,
        ws.floatsForBatch(batchSize));
    for (int i = 0; i < parameterCount; i++) {
      gradOut[i] = grad[i];
    }
    return loss;
  }

  @Override
  public float lossAndGradient(float[] theta, float[] inputs, float[] targets, int batchSize,
      float[] gradOut) {
    Objects.requireNonNull(theta, "theta");
    Objects.requireNonNull(gradOut, "gradOut");
    checkStep(theta.length, length("inputs", inputs), length("targets", targets), gradOut.length,
        batchSize);
    Workspace ws = workspace();
    if (code instanceof GeneratedFloatModel f) {
      return f.lossAndGradient(theta, inputs, targets, batchSize, gradOut,
          ws.floatsForBatch(batchSize));
    }
    double[] grad = ws.widen(Workspace.RESULT, null, parameterCount);
    double loss = ((GeneratedModel) code).lossAndGradient(
        ws.widen(Workspace.THETA, theta, parameterCount),
        ws.widen(Workspace.INPUTS, inputs, batchSize * inputWidth),
        ws.widen(Workspace.TARGETS, targets, batchSize * targetWidth), batchSize, grad,
        ws.forBatch(batchSize));
    for (int i = 0; i < parameterCount; i++) {
      gradOut[i] = (float) grad[i];
    }
    return (float) loss;
  }

  @Override
  public float[] predict(float[] theta, float[] inputs, float[] targets, int batchSize) {
    Objects.requireNonNull(theta, "theta");
    check(theta.length, length("inputs", inputs), batchSize);
    requireTargets(targets == null ? -1 : targets.length, batchSize);
    float[] out = new float[Math.multiplyExact(batchSize, outputWidth)];
    Workspace ws = workspace();
    if (code instanceof GeneratedFloatModel f) {
      float[] t = targets != null ? targets : ws.zeroFloatTargets(batchSize * targetWidth);
      f.predict(theta, inputs, t, batchSize, out, ws.floatsForBatch(batchSize));
      return out;
    }
    double[] o = ws.widen(Workspace.RESULT, null, out.length);
    ((GeneratedModel) code).predict(ws.widen(Workspace.THETA, theta, parameterCount),
        ws.widen(Workspace.INPUTS, inputs, batchSize * inputWidth),
        ws.widen(Workspace.TARGETS, targets, batchSize * targetWidth), batchSize, o,
        ws.forBatch(batchSize));
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) o[i];
    }
    return out;
  }

  @Override
  public double[] predict(double[] theta, double[] inputs, int batchSize) {
    return predict(theta, inputs, null, batchSize);
  }

  @Override
  public double[] predict(double[] theta, double[] inputs, double[] targets, int batchSize) {
    check(theta, inputs, batchSize);
    requireTargets(targets == null ? -1 : targets.length, batchSize);
    double[] out = new double[Math.multiplyExact(batchSize, outputWidth)];
    run(theta, inputs, targets, batchSize, out);
    return out;
  }

  @Override
  public boolean predictReadsTargets() {
    return !outputTargets.isEmpty();
  }

  /**
   * Like {@link #predict(double[], double[], double[], int)}, writing into {@code out} (no
   * allocation).
   */
  public void predict(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] out) {
    check(theta, inputs, batchSize);
    requireTargets(targets == null ? -1 : targets.length, batchSize);
    requireLength("out", out, (long) batchSize * outputWidth);
    run(theta, inputs, targets, batchSize, out);
  }

  /** The generated predict on checked arguments. */
  private void run(double[] theta, double[] inputs, double[] targets, int batchSize,
      double[] out) {
    Workspace ws = workspace();
    // targets are read only by the outputs that need them; the others get zeros, never garbage
    if (code instanceof GeneratedModel d) {
      double[] t = targets != null ? targets : ws.zeroTargets(batchSize * targetWidth);
      d.predict(theta, inputs, t, batchSize, out, ws.forBatch(batchSize));
      return;
    }
    int n = batchSize * outputWidth;
    float[] o = ws.narrow(Workspace.RESULT, null, n);
    ((GeneratedFloatModel) code).predict(ws.narrow(Workspace.THETA, theta, parameterCount),
        ws.narrow(Workspace.INPUTS, inputs, batchSize * inputWidth),
        ws.narrow(Workspace.TARGETS, targets, batchSize * targetWidth), batchSize, o,
        ws.floatsForBatch(batchSize));
    for (int i = 0; i < n; i++) {
      out[i] = o[i];
    }
  }

  /** Null targets (length -1) are allowed only when no output reads one. */
  private void requireTargets(int targets, int batchSize) {
    if (targets >= 0) {
      requireLength("targets", targets, (long) batchSize * targetWidth);
    } else if (!outputTargets.isEmpty()) {
      var first = outputTargets.entrySet().iterator().next();
      throw new IllegalArgumentException("output '" + first.getKey() + "' is computed from target"
          + (first.getValue().size() == 1 ? " '" : "s '") + String.join("', '", first.getValue())
          + "': pass the targets to predict");
    }
  }

  @Override
  public List<String> targetsReadBy(String output) {
    if (outputs.stream().noneMatch(o -> o.name().equals(output))) {
      throw new IllegalArgumentException("model " + name + " has no output '" + output + "'");
    }
    return outputTargets.getOrDefault(output, List.of());
  }

  private Workspace workspace() {
    Workspace ws = lastWorkspace;
    if (ws == null || ws.owner != Thread.currentThread()) {
      ws = workspace.get();
      lastWorkspace = ws;
    }
    return ws;
  }

  private void check(double[] theta, double[] inputs, int batchSize) {
    Objects.requireNonNull(theta, "theta");
    check(theta.length, length("inputs", inputs), batchSize);
  }

  /** Checks the array lengths of one call, whichever their element type. */
  private void check(int theta, int inputs, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, but is " + batchSize);
    }
    if (theta != parameterCount) {
      throw new IllegalArgumentException("theta has " + theta + " elements, expected "
          + parameterCount);
    }
    requireLength("inputs", inputs, (long) batchSize * inputWidth);
  }

  /** The lengths of a training step's arrays checked. */
  private void checkStep(int theta, int inputs, int targets, int gradOut, int batchSize) {
    check(theta, inputs, batchSize);
    requireLength("targets", targets, (long) batchSize * targetWidth);
    if (gradOut < parameterCount) {
      throw new IllegalArgumentException("gradOut has " + gradOut + " elements, expected "
          + parameterCount);
    }
  }

  /** The length of a {@code double[]} or {@code float[]} argument, which must not be null. */
  private static int length(String what, Object array) {
    Objects.requireNonNull(array, what);
    return java.lang.reflect.Array.getLength(array);
  }

  private static void requireLength(String what, double[] a, long atLeast) {
    requireLength(what, length(what, a), atLeast);
  }

  private static void requireLength(String what, int length, long atLeast) {
    if (length < atLeast) {
      throw new IllegalArgumentException(what + " has " + length + " elements, expected at least "
          + atLeast);
    }
  }

  @Override
  public TrainSpec trainDefaults() {
    return train;
  }

  @Override
  public String javaSource() {
    return source;
  }

  @Override
  public String toString() {
    return "CompiledModel " + name + " (" + parameterCount + " parameters)";
  }
}
