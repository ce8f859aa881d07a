package org.gradc.cli;

import java.util.concurrent.Callable;
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
    return args.run((model, out) -> out.print(model.dot(backward)));
  }
}
