package org.gradc.sema;

import java.util.List;
import java.util.Optional;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.SourceFile;

/** Every model of one file, checked, and the warnings the check gave. */
public record CheckedProgram(SourceFile file, List<CheckedModel> models, List<Diagnostic> warnings) {
  public CheckedProgram {
    models = List.copyOf(models);
    warnings = List.copyOf(warnings);
  }

  /** The named model, or the first when {@code name} is null. */
  public Optional<CheckedModel> model(String name) {
    if (name == null) {
      return models.stream().findFirst();
    }
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
