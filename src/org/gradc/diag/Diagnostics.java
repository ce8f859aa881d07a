package org.gradc.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * The sink every phase reports errors into, so one run can report several independent errors
 * without global flags. Diagnostics come out sorted by position.
 */
public final class Diagnostics {
  private final SourceFile file;
  private final List<Diagnostic> errors = new ArrayList<>();

  public Diagnostics(SourceFile file) {
    this.file = file;
  }

  public SourceFile file() {
    return file;
  }

  /** Records an error; the same message at the same place is kept once (a def called twice). */
  public void error(Span span, String message) {
    Diagnostic d = new Diagnostic(file, span, message);
    if (!errors.contains(d)) {
      errors.add(d);
    }
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public List<Diagnostic> all() {
    List<Diagnostic> sorted = new ArrayList<>(errors);
    sorted.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
    return List.copyOf(sorted);
  }

  /** Throws the collected errors, if any, as one exception. */
  public void throwIfErrors() {
    if (hasErrors()) {
      throw new GradcException(all());
    }
  }
}
