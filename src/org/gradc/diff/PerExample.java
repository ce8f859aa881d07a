package org.gradc.diff;

import java.util.ArrayList;
import java.util.List;
import org.gradc.ir.Node;
import org.gradc.sema.CheckedModel;

/**
 * Per-example gradients as predictions: the <em>per-example model</em> has the model's parameters,
 * inputs, targets and loss, and one output per parameter, the gradient of each example's own
 * loss ({@link Differentiator#perExample}). Its predictions for a batch are B rows of the
 * parameter vector's layout, the [B, P] matrix of per-example gradients, computed in one pass
 * over the batch by the same planner and code generator as any model's outputs.
 */
public final class PerExample {
  private PerExample() {}

  /**
   * The per-example model and the gradients to plan it with.
   *
   * @param model the per-example model: outputs named like the parameters, in their order
   * @param gradients the model's simplified batch-mean gradients, in the per-example model's graph
   */
  public record Derived(CheckedModel model, Gradients gradients) {}

  /**
   * The per-example model of a checked model.
   *
   * @param model the checked model
   * @param grads its simplified gradients (their loss is the simplified per-example loss)
   * @return the model whose predictions are the per-example gradients
   */
  public static Derived of(CheckedModel model, Gradients grads) {
    List<Node> params = model.params().stream().map(CheckedModel.Param::node).toList();
    Gradients each = Differentiator.perExample(grads.graph(), grads.loss(), params);
    List<CheckedModel.Value> outputs = new ArrayList<>();
    for (CheckedModel.Param p : model.params()) {
      outputs.add(new CheckedModel.Value(p.name(), each.gradient(p.node()), p.span()));
    }
    CheckedModel derived = new CheckedModel(model.name() + "PerExample", model.file(),
        model.span(), each.graph(), model.inputs(), model.targets(), model.params(),
        model.consts(), model.intermediates(), outputs, grads.loss(), model.lossSpan(),
        model.train(), model.names());
    return new Derived(derived, new Gradients(each.graph(), grads.loss(), grads.objective(),
        grads.gradients(), grads.adjoints()));
  }
}
