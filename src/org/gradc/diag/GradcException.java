package org.gradc.diag;

import java.util.List;

/** Thrown by the compiler's entry points when a source file has errors; carries every diagnostic. */
public final class GradcException extends RuntimeException {
  private final List<Diagnostic> diagnostics;

  public GradcException(List<Diagnostic> diagnostics) {
    super(render(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String render(List<Diagnostic> diagnostics) {
    StringBuilder b = new StringBuilder();
    diagnostics.forEach(d -> b.append(d.format()));
    return b.toString().stripTrailing();
  }
}
