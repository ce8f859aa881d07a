package org.gradc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.CheckedProgram;

/** Reads, checks and compiles the model a training command works on. */
final class CompiledModels {
  private CompiledModels() {}

  /** How a checked model becomes a compiled one (replaceable by tests). */
  static Function<CheckedModel, CompiledModel> compiler = m -> {
    throw new UnsupportedOperationException("the code generator is not built yet");
  };

  /** The model {@code --model} names (or the first) of {@code file}, compiled. */
  static CompiledModel load(Path file, String model, PrintWriter err) throws SourceLoader.UserError {
    CheckedProgram program = SourceLoader.load(file, err);
    CheckedModel m = model == null ? program.models().get(0) : SourceLoader.select(program, model);
    try {
      return compiler.apply(m);
    } catch (UnsupportedOperationException e) {
      throw new SourceLoader.UserError("cannot compile model " + m.name() + ": " + e.getMessage());
    }
  }
}
