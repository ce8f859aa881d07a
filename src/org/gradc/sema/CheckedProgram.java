package org.gradc.sema;

import java.util.List;
import java.util.Optional;
import org.gradc.diag.SourceFile;

/** Every model of one file, checked. */
public record CheckedProgram(SourceFile file, List<CheckedModel> models) {
  public CheckedProgram {
    models = List.copyOf(models);
  }

  /** The named model, or the first when {@code name} is null. */
  public Optional<CheckedModel> model(String name) {
    if (name == null) {
      return models.stream().findFirst();
    }
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
