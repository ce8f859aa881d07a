package org.gradc.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.ir.Graph;
import org.gradc.ir.GraphBuilder;
import org.gradc.ir.Node;
import org.gradc.runtime.InitSpec;
import org.gradc.sema.CheckedModel;

/**
 * Hessian-vector products as first derivatives (reverse over reverse). Given a model's
 * simplified gradient g(θ), the <em>directional model</em> has the parameters θ and a direction
 * v of the same layout, and the loss s(θ, v) = Σ_p sum(g_p ⊙ v_p) = g(θ) · v, a scalar over the
 * whole batch. Its gradient is (∂s/∂θ, ∂s/∂v) = (H v, g): differentiating it with the same
 * vector-Jacobian table, simplifying and planning it as any model gives the Hessian-vector
 * product in one generated class, within the same method bounds. Every op that can appear in a
 * gradient has a derivative in that table, so no model lacks a second order.
 */
public final class SecondOrder {
  private SecondOrder() {}

  /**
   * The direction's entry for a parameter: a name no DSL identifier or layer parameter can have.
   *
   * @param param the parameter's name
   * @return the name of its direction in the directional model
   */
  public static String directionName(String param) {
    return "v:" + param;
  }

  /**
   * The Hessian of the batch-mean loss, entry by entry, for scalar parameters: row i is the
   * gradient of the gradient for parameter i (reverse over reverse, unsimplified).
   *
   * @param grads the simplified gradients, for scalar parameters
   * @param params the parameters, in order
   * @return for each parameter i, the entries ∂²L/∂p_i∂p_j by parameter j, and their graph
   */
  public static Hessian hessian(Gradients grads, List<Node> params) {
    Graph g = grads.graph();
    Map<Node, Map<Node, Node>> rows = new LinkedHashMap<>();
    for (Node p : params) {
      if (!p.shape().isScalar()) {
        throw new IllegalArgumentException("not a scalar parameter: " + p);
      }
      Gradients row = Differentiator.differentiate(g, grads.gradient(p), params);
      g = row.graph();
      rows.put(p, row.gradients());
    }
    return new Hessian(g, rows);
  }

  /**
   * Hessian entries.
   *
   * @param graph the graph holding every entry
   * @param rows for each parameter i, ∂²L/∂p_i∂p_j by parameter j
   */
  public record Hessian(Graph graph, Map<Node, Map<Node, Node>> rows) {
    public Hessian {
      rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }
  }

  /**
   * The directional model of a checked model: parameters θ then v (each direction shaped like
   * its parameter), loss g(θ) · v, no outputs. Its graph is a fork of the gradients' graph.
   *
   * @param model the checked model
   * @param grads its simplified gradients
   * @return a model whose gradient is the Hessian-vector product followed by the gradient
   */
  public static CheckedModel directional(CheckedModel model, Gradients grads) {
    GraphBuilder g = grads.graph().fork();
    List<CheckedModel.Param> params = new ArrayList<>(model.params());
    Node s = null;
    for (CheckedModel.Param p : model.params()) {
      Node v = g.param(directionName(p.name()), p.node().shape());
      params.add(new CheckedModel.Param(v.name(), v, new InitSpec.Zeros(), p.span()));
      Node term = g.sum(g.mul(grads.gradient(p.node()), v));
      s = s == null ? term : g.add(s, term);
    }
    return new CheckedModel(model.name() + "Hvp", model.file(), model.span(), g.freeze(),
        model.inputs(), model.targets(), params, model.consts(), model.intermediates(), List.of(),
        s, model.lossSpan(), model.train(), model.names());
  }
}
