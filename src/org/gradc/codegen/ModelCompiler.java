package org.gradc.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.lower.Plan;
import org.gradc.lower.Planner;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.sema.CheckedModel;
import org.gradc.runtime.InitSpec;

/**
 * From a checked model to Java: plan, emit, and (for {@link #compile}) load with Janino. Planning
 * grows the model's graph, so one checked model must not be compiled from two threads at once.
 */
public final class ModelCompiler {
  /** The package of classes compiled in memory. */
  public static final String RUNTIME_PACKAGE = "org.gradc.generated";

  private ModelCompiler() {}

  /** The generated Java source of a model, in {@code packageName} ("" for the default package). */
  public static JavaEmitter.Emitted emit(CheckedModel model, String packageName) {
    return JavaEmitter.emit(Planner.plan(model), packageName);
  }

  /** Generates, compiles and loads a model. */
  public static LoadedModel compile(CheckedModel model) {
    return compile(Planner.plan(model));
  }

  /** Emits, compiles and loads a plan. */
  public static LoadedModel compile(Plan plan) {
    JavaEmitter.Emitted code = JavaEmitter.emit(plan, RUNTIME_PACKAGE);
    return LoadedModel.load(layout(plan.model()), code.qualifiedName(), code.source());
  }

  /**
   * Names, layouts, initializers and train defaults of a checked model: every tensor in
   * declaration order, one after another (as the planner lays them out), known before any code
   * is generated.
   */
  public static LoadedModel.Layout layout(CheckedModel model) {
    List<InitSpec> inits = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (CheckedModel.Param p : model.params()) {
      inits.add(p.init());
      names.add(p.name());
      nodes.add(p.node());
    }
    return new LoadedModel.Layout(model.name(), specs(names, nodes), inits,
        specs(model.inputs()), specs(model.targets()), specs(model.outputs()),
        outputTargets(model), model.train());
  }

  /** For each output computed from targets (a residual such as {@code yhat - y}), their names. */
  private static Map<String, List<String>> outputTargets(CheckedModel model) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (CheckedModel.Value o : model.outputs()) {
      List<String> read = Graph.topological(List.of(o.node())).stream()
          .filter(n -> n.op() == Op.TARGET).map(Node::name).sorted().toList();
      if (!read.isEmpty()) {
        out.put(o.name(), read);
      }
    }
    return out;
  }

  private static List<TensorSpec> specs(List<CheckedModel.Value> values) {
    return specs(values.stream().map(CheckedModel.Value::name).toList(),
        values.stream().map(CheckedModel.Value::node).toList());
  }

  private static List<TensorSpec> specs(List<String> names, List<Node> nodes) {
    List<TensorSpec> out = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < names.size(); i++) {
      int size = nodes.get(i).shape().size();
      out.add(new TensorSpec(names.get(i), nodes.get(i).shape().dims(), offset, size));
      offset += size;
    }
    return out;
  }
}
