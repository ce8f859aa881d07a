package org.gradc.lower;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;
import org.gradc.ir.Op;
import org.gradc.runtime.InitSpec;
import org.gradc.runtime.LoadedModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.sema.CheckedModel;

/**
 * Names, layouts, initializers and train defaults of a checked model: every tensor in
 * declaration order, one after another (as the planner lays them out), known before any code is
 * generated.
 */
public final class Layouts {
  private Layouts() {}

  /**
   * The layout of a checked model.
   *
   * @param model the model
   * @return its parameters, inputs, targets and outputs as the flat vectors hold them
   */
  public static LoadedModel.Layout of(CheckedModel model) {
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
