package org.gradc.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.diff.Differentiator;
import org.gradc.diff.Gradients;
import org.gradc.diff.SecondOrder;
import org.gradc.ir.Evaluator;
import org.gradc.ir.Graph;
import org.gradc.ir.Op;
import org.gradc.ir.Node;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.sema.CheckedModel;
import org.gradc.runtime.InitSpec;
import org.gradc.runtime.TrainSpec;

/**
 * A {@link CompiledModel} that interprets the checked graph with the reference evaluator: slow and
 * obviously correct, for testing the trainer independently of the code generator.
 */
public final class ReferenceModel implements CompiledModel {
  private final CheckedModel model;
  private final Gradients gradients;
  private final List<Node> paramNodes = new ArrayList<>();
  private final List<TensorSpec> params;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> targets;
  private final List<TensorSpec> outputs;

  public ReferenceModel(CheckedModel model) {
    this.model = model;
    for (CheckedModel.Param p : model.params()) {
      paramNodes.add(p.node());
    }
    this.gradients = Differentiator.differentiate(model.graph(), model.loss(), paramNodes);
    List<String> names = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (CheckedModel.Param p : model.params()) {
      names.add(p.name());
      nodes.add(p.node());
    }
    this.params = layout(names, nodes);
    this.inputs = layout(model.inputs());
    this.targets = layout(model.targets());
    this.outputs = layout(model.outputs());
  }

  /** The first (or named) model of a source text. */
  public static ReferenceModel of(String source, String modelName) {
    var program = Gradc.check(new SourceFile("test.grad", source));
    CheckedModel m = modelName == null ? program.models().get(0) : program.model(modelName).orElseThrow();
    return new ReferenceModel(m);
  }

  public static ReferenceModel of(String source) {
    return of(source, null);
  }

  private static List<TensorSpec> layout(List<CheckedModel.Value> values) {
    List<String> names = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (CheckedModel.Value v : values) {
      names.add(v.name());
      nodes.add(v.node());
    }
    return layout(names, nodes);
  }

  private static List<TensorSpec> layout(List<String> names, List<Node> nodes) {
    List<TensorSpec> out = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < names.size(); i++) {
      int size = nodes.get(i).shape().size();
      out.add(new TensorSpec(names.get(i), nodes.get(i).shape().dims(), offset, size));
      offset += size;
    }
    return List.copyOf(out);
  }

  private static int width(List<TensorSpec> specs) {
    return specs.stream().mapToInt(TensorSpec::size).sum();
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public List<TensorSpec> parameters() {
    return params;
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
    return width(params);
  }

  @Override
  public int inputWidth() {
    return width(inputs);
  }

  @Override
  public int targetWidth() {
    return width(targets);
  }

  @Override
  public int outputWidth() {
    return width(outputs);
  }

  @Override
  public double[] initialParameters(long seed) {
    Random rnd = new Random(seed);
    double[] theta = new double[parameterCount()];
    for (int k = 0; k < params.size(); k++) {
      TensorSpec s = params.get(k);
      InitSpec init = model.params().get(k).init();
      int[] shape = s.shape();
      int fanIn = shape.length == 0 ? 1 : shape[0];
      int fanOut = shape.length == 0 ? 1 : shape[shape.length - 1];
      double[] literal = init instanceof InitSpec.Values v ? v.values() : null;
      for (int i = 0; i < s.size(); i++) {
        double x;
        if (init instanceof InitSpec.Zeros) {
          x = 0;
        } else if (init instanceof InitSpec.Ones) {
          x = 1;
        } else if (init instanceof InitSpec.Fill f) {
          x = f.value();
        } else if (init instanceof InitSpec.Uniform u) {
          x = u.low() + (u.high() - u.low()) * rnd.nextDouble();
        } else if (init instanceof InitSpec.Normal n) {
          x = n.mean() + n.std() * rnd.nextGaussian();
        } else if (init instanceof InitSpec.Xavier) {
          double a = Math.sqrt(6.0 / (fanIn + fanOut));
          x = -a + 2 * a * rnd.nextDouble();
        } else if (init instanceof InitSpec.He) {
          x = Math.sqrt(2.0 / fanIn) * rnd.nextGaussian();
        } else {
          x = literal[i];
        }
        theta[s.offset() + i] = x;
      }
    }
    return theta;
  }

  private Map<String, double[]> leaves(double[] theta, double[] in, double[] tg, int batch) {
    Map<String, double[]> values = new HashMap<>();
    for (TensorSpec s : params) {
      double[] v = new double[s.size()];
      System.arraycopy(theta, s.offset(), v, 0, s.size());
      values.put(s.name(), v);
    }
    split(values, inputs, in, batch);
    if (tg != null) {
      split(values, targets, tg, batch);
    }
    return values;
  }

  private static void split(Map<String, double[]> values, List<TensorSpec> specs, double[] flat, int batch) {
    int width = width(specs);
    for (TensorSpec s : specs) {
      double[] v = new double[batch * s.size()];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(flat, b * width + s.offset(), v, b * s.size(), s.size());
      }
      values.put(s.name(), v);
    }
  }

  /**
   * H·v by the reference evaluator on the unsimplified derivative of the directional model, an
   * independent check of the generated second-order class.
   */
  @Override
  public double hessianVectorProduct(double[] theta, double[] direction, double[] in, double[] tg,
      int batchSize, double[] out) {
    CheckedModel d = SecondOrder.directional(model, gradients);
    List<Node> both = d.params().stream().map(CheckedModel.Param::node).toList();
    Gradients second = Differentiator.differentiate(d.graph(), d.loss(), both);
    Map<String, double[]> values = leaves(theta, in, tg, batchSize);
    for (TensorSpec s : params) {
      double[] v = new double[s.size()];
      System.arraycopy(direction, s.offset(), v, 0, s.size());
      values.put(SecondOrder.directionName(s.name()), v);
    }
    Evaluator ev = new Evaluator(batchSize, values);
    for (int k = 0; k < params.size(); k++) {
      double[] h = ev.value(second.gradient(paramNodes.get(k)));
      System.arraycopy(h, 0, out, params.get(k).offset(), h.length);
    }
    return ev.scalar(d.loss());
  }

  /** Per-example gradients by the reference evaluator on the unsimplified per-example pass. */
  @Override
  public void perExampleGradients(double[] theta, double[] in, double[] tg, int batchSize,
      double[] out) {
    Gradients each = Differentiator.perExample(model.graph(), model.loss(), paramNodes);
    Evaluator ev = new Evaluator(batchSize, leaves(theta, in, tg, batchSize));
    int n = parameterCount();
    for (int k = 0; k < params.size(); k++) {
      Node g = each.gradient(paramNodes.get(k));
      double[] v = ev.value(g);
      int size = params.get(k).size();
      for (int b = 0; b < batchSize; b++) {
        System.arraycopy(v, g.batched() ? b * size : 0, out, b * n + params.get(k).offset(), size);
      }
    }
  }

  @Override
  public double lossAndGradient(double[] theta, double[] in, double[] tg, int batchSize, double[] gradOut) {
    Evaluator ev = new Evaluator(batchSize, leaves(theta, in, tg, batchSize));
    for (int k = 0; k < params.size(); k++) {
      double[] g = ev.value(gradients.gradient(paramNodes.get(k)));
      TensorSpec s = params.get(k);
      if (g.length == 1 && s.size() > 1) {
        java.util.Arrays.fill(gradOut, s.offset(), s.offset() + s.size(), g[0]);
      } else {
        System.arraycopy(g, 0, gradOut, s.offset(), s.size());
      }
    }
    return ev.scalar(gradients.objective());
  }

  @Override
  public float lossAndGradient(float[] theta, float[] in, float[] tg, int batchSize,
      float[] gradOut) {
    throw new UnsupportedOperationException("the reference evaluator computes in f64");
  }

  @Override
  public float[] predict(float[] theta, float[] in, float[] tg, int batchSize) {
    throw new UnsupportedOperationException("the reference evaluator computes in f64");
  }

  @Override
  public double[] predict(double[] theta, double[] in, int batchSize) {
    if (predictReadsTargets()) {
      throw new IllegalArgumentException("an output is computed from targets");
    }
    return predict(theta, in, null, batchSize);
  }

  @Override
  public boolean predictReadsTargets() {
    return outputs.stream().anyMatch(o -> !targetsReadBy(o.name()).isEmpty());
  }

  @Override
  public List<String> targetsReadBy(String output) {
    Node n = model.outputs().stream().filter(o -> o.name().equals(output)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(output)).node();
    return Graph.topological(List.of(n)).stream().filter(x -> x.op() == Op.TARGET)
        .map(Node::name).sorted().toList();
  }

  @Override
  public double[] predict(double[] theta, double[] in, double[] tg, int batchSize) {
    Map<String, double[]> values = leaves(theta, in, tg, batchSize);
    if (tg == null) {
      for (TensorSpec s : targets) {
        values.put(s.name(), new double[batchSize * s.size()]);
      }
    }
    Evaluator ev = new Evaluator(batchSize, values);
    double[] out = new double[batchSize * outputWidth()];
    int width = outputWidth();
    for (int k = 0; k < outputs.size(); k++) {
      Node n = model.outputs().get(k).node();
      double[] v = ev.value(n);
      TensorSpec s = outputs.get(k);
      for (int b = 0; b < batchSize; b++) {
        for (int i = 0; i < s.size(); i++) {
          out[b * width + s.offset() + i] = n.batched() ? v[b * s.size() + i] : v[i];
        }
      }
    }
    return out;
  }

  @Override
  public TrainSpec trainDefaults() {
    return model.train();
  }

  @Override
  public String javaSource() {
    return "// reference evaluator: no generated source\n";
  }
}
