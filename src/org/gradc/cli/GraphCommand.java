package org.gradc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradc graph FILE [--backward] [--values V.json] [--svg FILE | --png FILE]}: Graphviz DOT
 * of the forward (and gradient) graph, with each node's value and gradient given values, printed
 * or drawn by Graphviz's {@code dot}.
 */
@Command(name = "graph", description = "Graphviz DOT of the forward (or forward + backward) graph;"
    + " with --values, each node's value and gradient.")
final class GraphCommand implements Callable<Integer> {
  @Mixin
  ModelArgs args;

  @Mixin
  ValuesOption values;

  @Option(names = "--backward", description = "include the simplified gradient of every parameter")
  boolean backward;

  @Option(names = "--svg", paramLabel = "FILE", description = "draw it as SVG with Graphviz's dot")
  Path svg;

  @Option(names = "--png", paramLabel = "FILE", description = "draw it as PNG with Graphviz's dot")
  Path png;

  @Override
  public Integer call() {
    return args.run((model, out) -> {
      ValuesOption.Read read = values.read(model);
      String dot = model.dot(backward, read == null ? null : read.leaves(),
          read == null ? 0 : read.batchSize());
      if (svg == null && png == null) {
        out.print(dot);
        return;
      }
      var program = Graphviz.find(System.getenv("PATH"));
      if (svg != null) {
        Graphviz.render(program, dot, "svg", svg, "--svg");
      }
      if (png != null) {
        Graphviz.render(program, dot, "png", png, "--png");
      }
    });
  }
}
