package org.gradc.diag;

import java.util.List;

/** Thrown by the compiler's entry points when a source file has errors; carries every diagnostic. */
public final class GradcException extends RuntimeException {
  /** The diagnostics to show, in report order (unmodifiable). */
  private final List<Diagnostic> diagnostics;

  /** The number of errors found, shown or not. */
  private final int errorCount;

  /**
   * An exception for these diagnostics, all of them shown; the message is their
   * {@link Diagnostic#format()} reports, one after the other.
   *
   * @param diagnostics the errors, in the order to report them (copied)
   */
  public GradcException(List<Diagnostic> diagnostics) {
    this(diagnostics, diagnostics.size());
  }

  /**
   * An exception for the diagnostics shown, out of {@code errorCount} errors found in all.
   *
   * @param diagnostics the errors to show, in the order to report them (copied)
   * @param errorCount the number of errors found, including those not shown
   */
  public GradcException(List<Diagnostic> diagnostics, int errorCount) {
    super(render(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
    this.errorCount = errorCount;
  }

  /**
   * The diagnostics to show: at most the reporting limit, then one saying how many more.
   *
   * @return the diagnostics in report order, by position when the compiler threw (unmodifiable)
   */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /**
   * The number of errors found, including those past the reporting limit.
   *
   * @return the number of errors, shown or not
   */
  public int errorCount() {
    return errorCount;
  }

  private static String render(List<Diagnostic> diagnostics) {
    StringBuilder b = new StringBuilder();
    diagnostics.forEach(d -> b.append(d.format()));
    return b.toString().stripTrailing();
  }
}
