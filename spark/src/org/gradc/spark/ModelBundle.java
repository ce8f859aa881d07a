package org.gradc.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.InitSpec;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.runtime.TrainSpec;

/**
 * A compiled model as plain, serializable data: its name, the generated Java source and its
 * SHA-256, and the layout of parameters, inputs, targets and outputs. A compiled model itself
 * cannot travel (its class lives in one JVM's class loader); a bundle is made once on the driver
 * and shipped to the executors, where {@link #model()} compiles the source at most once per JVM.
 * An executor needs only gradc's run-time classes (Janino is inside its jar) for that, never the parser.
 *
 * <p>The model rebuilt from a bundle computes exactly what the driver's model computes, and
 * draws the same initial parameters; its {@link CompiledModel#trainDefaults()} is
 * {@link TrainSpec#NONE} (configure training on the driver), and it has neither Hessian-vector
 * products nor per-example gradients (the bundle ships the first-order class only).
 */
public final class ModelBundle implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The model's name. */
  private final String name;
  /** The generated class's qualified name. */
  private final String className;
  /** The generated class's source. */
  private final String source;
  /** SHA-256 of class name and source, in hex. */
  private final String hash;
  /** The parameter vector's layout. */
  private final List<Tensor> parameters;
  /** Each parameter's initializer, in parameter order. */
  private final List<Init> inits;
  /** One example's input layout. */
  private final List<Tensor> inputs;
  /** One example's target layout. */
  private final List<Tensor> targets;
  /** One example's output layout. */
  private final List<Tensor> outputs;
  /** The targets each output that reads targets is computed from. */
  private final LinkedHashMap<String, List<String>> outputTargets;

  private ModelBundle(LoadedModel m) {
    name = m.name();
    className = m.className();
    source = m.javaSource();
    hash = sha256(className, source);
    parameters = Tensor.all(m.parameters());
    inits = m.initializers().stream().map(Init::of).toList();
    inputs = Tensor.all(m.inputs());
    targets = Tensor.all(m.targets());
    outputs = Tensor.all(m.outputs());
    outputTargets = new LinkedHashMap<>();
    for (TensorSpec o : m.outputs()) {
      List<String> read = m.targetsReadBy(o.name());
      if (!read.isEmpty()) {
        outputTargets.put(o.name(), List.copyOf(read));
      }
    }
  }

  /**
   * The bundle of a model compiled in this JVM, e.g. by {@code Gradc.compile}.
   *
   * @param model a model compiled by gradc
   * @return its bundle
   * @throws IllegalArgumentException when {@code model} was not compiled by gradc (another
   *     implementation of the interface has no generated source to ship)
   */
  public static ModelBundle of(CompiledModel model) {
    if (!(model instanceof LoadedModel loaded)) {
      throw new IllegalArgumentException("only a model compiled by gradc can be bundled, not "
          + model.getClass().getName());
    }
    return new ModelBundle(loaded);
  }

  /**
   * The model, compiled from the bundle's source the first time this JVM needs it and then
   * taken from a bounded per-JVM cache keyed by {@link #hash()} (see {@link ModelCache}).
   *
   * @return the compiled model, the same instance for every bundle of the same code in this JVM
   * @throws IllegalStateException when the source does not match its hash or does not compile
   */
  public CompiledModel model() {
    return ModelCache.get(this);
  }

  /** Compiles the source into a model; called by the cache only. */
  CompiledModel compile() {
    if (!sha256(className, source).equals(hash)) {
      throw new IllegalStateException("the source of model " + name + " does not match its hash");
    }
    LoadedModel.Layout layout = new LoadedModel.Layout(name, Tensor.specs(parameters),
        inits.stream().map(Init::spec).toList(), Tensor.specs(inputs), Tensor.specs(targets),
        Tensor.specs(outputs), outputTargets, TrainSpec.NONE);
    return LoadedModel.load(layout, className, source);
  }

  /**
   * The model's name.
   *
   * @return the name after {@code model} in its source
   */
  public String name() {
    return name;
  }

  /**
   * The SHA-256 of the generated class's name and source, in hex: equal hashes mean equal code.
   *
   * @return 64 hex digits
   */
  public String hash() {
    return hash;
  }

  /**
   * The generated Java source the executors compile.
   *
   * @return the complete source of the generated class
   */
  public String javaSource() {
    return source;
  }

  /**
   * The length of the parameter vector.
   *
   * @return the summed size of the parameters
   */
  public int parameterCount() {
    return Tensor.width(parameters);
  }

  /**
   * Scalars per example in the input batch.
   *
   * @return the summed size of the inputs
   */
  public int inputWidth() {
    return Tensor.width(inputs);
  }

  /**
   * Scalars per example in the target batch.
   *
   * @return the summed size of the targets
   */
  public int targetWidth() {
    return Tensor.width(targets);
  }

  /**
   * The inputs' layout within one example.
   *
   * @return name, shape, offset and size of each input, in declaration order
   */
  public List<TensorSpec> inputs() {
    return Tensor.specs(inputs);
  }

  /**
   * The targets' layout within one example.
   *
   * @return name, shape, offset and size of each target, in declaration order
   */
  public List<TensorSpec> targets() {
    return Tensor.specs(targets);
  }

  @Override
  public String toString() {
    return "ModelBundle " + name + " (" + parameterCount() + " parameters, " + hash.substring(0, 12)
        + ")";
  }

  private static String sha256(String className, String source) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(className.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@link TensorSpec} as serializable data. */
  private record Tensor(String name, int[] shape, int offset, int size) implements Serializable {
    static List<Tensor> all(List<TensorSpec> specs) {
      return specs.stream().map(s -> new Tensor(s.name(), s.shape(), s.offset(), s.size()))
          .toList();
    }

    static List<TensorSpec> specs(List<Tensor> tensors) {
      return tensors.stream().map(t -> new TensorSpec(t.name, t.shape, t.offset, t.size)).toList();
    }

    static int width(List<Tensor> tensors) {
      return tensors.stream().mapToInt(Tensor::size).sum();
    }
  }

  /**
   * An {@link InitSpec} as serializable data: its kind, up to two numbers,
   * the user's text and literal values, as the kind needs them.
   */
  private record Init(String kind, double a, double b, String text, double[] values)
      implements Serializable {
    static Init of(InitSpec s) {
      if (s instanceof InitSpec.Fill f) {
        return new Init("fill", f.value(), 0, f.text(), null);
      } else if (s instanceof InitSpec.Uniform u) {
        return new Init("uniform", u.low(), u.high(), u.text(), null);
      } else if (s instanceof InitSpec.Normal n) {
        return new Init("normal", n.mean(), n.std(), n.text(), null);
      } else if (s instanceof InitSpec.Values v) {
        return new Init("values", 0, 0, null, v.values());
      }
      String kind = s instanceof InitSpec.Zeros ? "zeros" : s instanceof InitSpec.Ones ? "ones"
          : s instanceof InitSpec.Xavier ? "xavier" : s instanceof InitSpec.He ? "he" : null;
      if (kind == null) {
        throw new IllegalArgumentException("initializer " + s.describe() + " cannot be bundled");
      }
      return new Init(kind, 0, 0, null, null);
    }

    InitSpec spec() {
      return switch (kind) {
        case "fill" -> new InitSpec.Fill(a, text);
        case "uniform" -> new InitSpec.Uniform(a, b, text);
        case "normal" -> new InitSpec.Normal(a, b, text);
        case "values" -> new InitSpec.Values(values);
        case "zeros" -> new InitSpec.Zeros();
        case "ones" -> new InitSpec.Ones();
        case "xavier" -> new InitSpec.Xavier();
        case "he" -> new InitSpec.He();
        default -> throw new IllegalStateException("unknown initializer " + kind);
      };
    }
  }
}
