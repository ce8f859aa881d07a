package org.gradc;

import java.util.List;
import java.util.Optional;
import org.gradc.diag.Diagnostic;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.DiskClassCache;
import org.gradc.sema.CheckedProgram;

/** Every model of one checked {@code .grad} file, in source order. Immutable. */
public final class Program {
  private final SourceFile file;
  private final List<Model> models;
  private final List<Diagnostic> warnings;

  Program(CheckedProgram checked, DiskClassCache cache) {
    this.file = checked.file();
    this.models = checked.models().stream().map(m -> new Model(m, cache)).toList();
    this.warnings = checked.warnings();
  }

  /**
   * What the check found suspicious but not wrong (a model without an output), by position.
   *
   * @return the warnings, each formatted by {@link Diagnostic#format()} as
   *     {@code FILE:LINE:COL: warning: …}; empty for most files
   */
  public List<Diagnostic> warnings() {
    return warnings;
  }

  /**
   * The file the models were checked from.
   *
   * @return the source file
   */
  public SourceFile file() {
    return file;
  }

  /**
   * The models, in source order.
   *
   * @return at least one model (a file without one does not check)
   */
  public List<Model> models() {
    return models;
  }

  /**
   * The named model.
   *
   * @param name the model's name, or null for the first
   * @return the model, or empty when the file has none of that name
   */
  public Optional<Model> model(String name) {
    return name == null ? Optional.of(models.get(0))
        : models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
