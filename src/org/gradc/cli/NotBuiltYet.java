package org.gradc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Commands of the specification that later phases provide; they say so and exit 2. */
final class NotBuiltYet {
  private NotBuiltYet() {}

  /** Shared body of the placeholders. */
  abstract static class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
      spec.commandLine().getErr().println("gradc " + spec.name() + ": not built yet");
      return 2;
    }
  }
}
