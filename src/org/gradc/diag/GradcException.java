package org.gradc.diag;

import java.util.List;

/** Thrown by the compiler's entry points when a source file has errors; carries every diagnostic. */
public final class GradcException extends RuntimeException {
  private final List<Diagnostic> diagnostics;

  private final int errorCount;

  public GradcException(List<Diagnostic> diagnostics) {
    this(diagnostics, diagnostics.size());
  }

  public GradcException(List<Diagnostic> diagnostics, int errorCount) {
    super(render(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
    this.errorCount = errorCount;
  }

  /** The diagnostics to show: at most the reporting limit, then one saying how many more. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The number of errors found, including those past the reporting limit. */
  public int errorCount() {
    return errorCount;
  }

  private static String render(List<Diagnostic> diagnostics) {
    StringBuilder b = new StringBuilder();
    diagnostics.forEach(d -> b.append(d.format()));
    return b.toString().stripTrailing();
  }
}
