package org.gradc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradc.diag.Diagnostics;
import org.gradc.diag.GradcException;
import org.gradc.diag.SourceFile;
import org.gradc.parse.SourceParser;
import org.gradc.sema.CheckedProgram;
import org.gradc.sema.Checker;

/** The façade: from {@code .grad} text to checked models (and, in later phases, compiled ones). */
public final class Gradc {
  private Gradc() {}

  /**
   * Parses and checks a file.
   *
   * @throws GradcException carrying every diagnostic when the source has errors
   */
  public static CheckedProgram check(SourceFile file) {
    Diagnostics diagnostics = new Diagnostics(file);
    var program = SourceParser.parse(file, diagnostics);
    var checked = program.flatMap(p -> Checker.check(p, diagnostics));
    diagnostics.throwIfErrors();
    return checked.orElseThrow();
  }

  /** Reads a source file as UTF-8 (malformed bytes become U+FFFD and are reported as characters). */
  public static SourceFile read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    return new SourceFile(path.toString(), new String(bytes, StandardCharsets.UTF_8));
  }
}
