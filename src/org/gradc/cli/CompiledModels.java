package org.gradc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.gradc.codegen.ModelCompiler;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.gradc.sema.CheckedProgram;

/** Reads, checks and compiles the model that {@code train} and {@code predict} work on. */
final class CompiledModels {
  private CompiledModels() {}

  /** The model {@code --model} names (or the first) of {@code file}, compiled and loaded. */
  static CompiledModel load(Path file, String model, PrintWriter err) throws SourceLoader.UserError {
    CheckedProgram program = SourceLoader.load(file, err);
    CheckedModel m = model == null ? program.models().get(0) : SourceLoader.select(program, model);
    return ModelCompiler.compile(m);
  }
}
