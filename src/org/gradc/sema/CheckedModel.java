package org.gradc.sema;

import org.gradc.runtime.TrainSpec;
import org.gradc.runtime.InitSpec;
import java.util.List;
import java.util.Map;
import org.gradc.diag.SourceFile;
import org.gradc.diag.Span;
import org.gradc.ir.Graph;
import org.gradc.ir.Node;

/**
 * A model that passed every check, lowered to its forward graph. Every list is in declaration
 * order; {@code names} maps graph nodes back to the DSL names that denote them (the first name
 * wins when two names denote one node).
 */
public record CheckedModel(String name, SourceFile file, Span span, Graph graph, List<Value> inputs,
    List<Value> targets, List<Param> params, List<Value> consts, List<Value> intermediates,
    List<Value> outputs, Node loss, Span lossSpan, TrainSpec train, Map<Node, String> names) {

  public CheckedModel {
    inputs = List.copyOf(inputs);
    targets = List.copyOf(targets);
    params = List.copyOf(params);
    consts = List.copyOf(consts);
    intermediates = List.copyOf(intermediates);
    outputs = List.copyOf(outputs);
    names = Map.copyOf(names);
  }

  /** A named value and the statement that declares it. */
  public record Value(String name, Node node, Span span) {}

  /** A trainable parameter; layer parameters are named {@code layer.W} and {@code layer.b}. */
  public record Param(String name, Node node, InitSpec init, Span span) {}

  /** Total number of trainable scalars. */
  public int parameterCount() {
    return params.stream().mapToInt(p -> p.node().shape().size()).sum();
  }
}
