package org.gradc.cli;

import java.util.List;
import org.gradc.runtime.CompiledModel;
import org.gradc.runtime.TensorSpec;
import org.gradc.train.ColumnMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of {@code train} and {@code predict} that say how CSV columns feed the model:
 * {@code --columns}, {@code --labels} and {@code --ignore-extra}.
 */
final class DataArgs {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--columns", paramLabel = "MAP",
      description = "CSV columns of each input and target, e.g. \"x=x1,x2 y=label\"")
  String columns;

  @Option(names = "--labels", paramLabel = "[TARGET=]COLUMN",
      description = "a target read from a column of class names or integers (one-hot encoded)")
  String labels;

  @Option(names = "--ignore-extra", description = "skip CSV columns that are no input or target")
  boolean ignoreExtra;

  /** Whether either mapping option was given. */
  boolean given() {
    return columns != null || labels != null;
  }

  /**
   * The column map of the options for {@code model}; a label target's classes are
   * {@code classes} (empty: taken from the data). A bad map is a usage error.
   */
  ColumnMap map(CompiledModel model, List<String> classes) {
    ColumnMap map = columns == null ? ColumnMap.DEFAULT : usage("--columns: ", () -> ColumnMap.parse(columns));
    if (labels != null) {
      ColumnMap m = map;
      map = usage("--labels: ", () -> {
        int eq = labels.indexOf('=');
        return m.withLabel(eq > 0 ? labels.substring(0, eq) : onlyTarget(model), labels.substring(eq + 1), classes);
      });
    }
    ColumnMap done = map;
    return usage("", () -> {
      done.check(model);
      return done;
    });
  }

  private ColumnMap usage(String prefix, java.util.function.Supplier<ColumnMap> f) {
    try {
      return f.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), prefix + e.getMessage());
    }
  }

  private static String onlyTarget(CompiledModel model) {
    List<String> names = model.targets().stream().map(TensorSpec::name).toList();
    if (names.size() != 1) {
      throw new IllegalArgumentException(names.isEmpty() ? "model " + model.name() + " has no target"
          : "model " + model.name() + " has targets " + String.join(", ", names)
              + "; say which one, e.g. --labels " + names.get(0) + "=COLUMN");
    }
    return names.get(0);
  }
}
