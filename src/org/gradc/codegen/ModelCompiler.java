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
    return LoadedModel.load(layout(plan), code.qualifiedName(), code.source());
  }

  /** Names, layouts, initializers and train defaults of a planned model. */
  public static LoadedModel.Layout layout(Plan plan) {
    List<InitSpec> inits = new ArrayList<>();
    for (CheckedModel.Param p : plan.model().params()) {
      inits.add(p.init());
    }
    return new LoadedModel.Layout(plan.model().name(), specs(plan.params()), inits,
        specs(plan.inputs()), specs(plan.targets()), specs(plan.outputs()), outputTargets(plan),
        plan.model().train());
  }

  /** For each output computed from targets (a residual such as {@code yhat - y}), their names. */
  private static Map<String, List<String>> outputTargets(Plan plan) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Plan.Slot o : plan.outputs()) {
      List<String> read = Graph.topological(List.of(o.node())).stream()
          .filter(n -> n.op() == Op.TARGET).map(Node::name).sorted().toList();
      if (!read.isEmpty()) {
        out.put(o.name(), read);
      }
    }
    return out;
  }

  private static List<TensorSpec> specs(List<Plan.Slot> slots) {
    List<TensorSpec> out = new ArrayList<>();
    for (Plan.Slot s : slots) {
      out.add(new TensorSpec(s.name(), s.node().shape().dims(), s.offset(), s.size()));
    }
    return out;
  }
}
