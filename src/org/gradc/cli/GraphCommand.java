package org.gradc.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gradc.diff.Gradients;
import org.gradc.ir.DotWriter;
import org.gradc.ir.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gradc graph FILE [--backward]}: Graphviz DOT of the forward (and gradient) graph. */
@Command(name = "graph", description = "Graphviz DOT of the forward (or forward + backward) graph.")
final class GraphCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Option(names = "--backward", description = "include the simplified gradient of every parameter")
  boolean backward;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      Map<String, Node> roots = new LinkedHashMap<>();
      model.outputs().forEach(o -> roots.put(o.name(), o.node()));
      if (backward) {
        Gradients grads = ModelArgs.gradients(model);
        roots.put("L", grads.objective());
        grads.gradients().forEach((p, g) -> roots.put("dL/d" + model.names().get(p), g));
      } else {
        roots.put("loss", model.loss());
      }
      out.print(DotWriter.write(roots, model.names()));
    });
  }
}
