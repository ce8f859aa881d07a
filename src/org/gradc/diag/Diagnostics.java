package org.gradc.diag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sink every phase reports errors into, so one run can report several independent errors
 * without global flags. Diagnostics come out sorted by position. A run reports at most
 * {@link #MAX_REPORTED} errors; past that, the errors are counted and one last diagnostic says
 * how many more there were.
 */
public final class Diagnostics {
  /** The most errors one run reports individually. */
  public static final int MAX_REPORTED = 100;

  private final SourceFile file;
  private final Set<Diagnostic> errors = new LinkedHashSet<>();
  private final Set<Diagnostic> warnings = new LinkedHashSet<>();
  private int dropped;
  private Span firstDropped;

  public Diagnostics(SourceFile file) {
    this.file = file;
  }

  public SourceFile file() {
    return file;
  }

  /** Records an error; the same message at the same place is kept once (a def called twice). */
  public void error(Span span, String message) {
    Diagnostic d = new Diagnostic(file, span, message);
    if (errors.size() < MAX_REPORTED) {
      errors.add(d);
    } else if (!errors.contains(d)) {
      dropped++;
      if (firstDropped == null || span.start() < firstDropped.start()) {
        firstDropped = span;
      }
    }
  }

  /**
   * Records an error whose message is costly to compose (a did-you-mean search); past the
   * reporting limit only counted, so the message is not composed.
   */
  public void error(Span span, java.util.function.Supplier<String> message) {
    if (errors.size() < MAX_REPORTED) {
      error(span, message.get());
    } else {
      dropped++;
      if (firstDropped == null || span.start() < firstDropped.start()) {
        firstDropped = span;
      }
    }
  }

  /** Records a warning: the file still compiles; the same warning at one place is kept once. */
  public void warning(Span span, String message) {
    if (warnings.size() < MAX_REPORTED) {
      warnings.add(new Diagnostic(file, span, message, Diagnostic.Severity.WARNING));
    }
  }

  /** The warnings, sorted by position. */
  public List<Diagnostic> warnings() {
    List<Diagnostic> sorted = new ArrayList<>(warnings);
    sorted.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
    return List.copyOf(sorted);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Number of errors recorded, including those past the reporting limit. */
  public int count() {
    return errors.size() + dropped;
  }

  /**
   * The errors sorted by position; past the limit, a last diagnostic (at the first error not
   * shown) saying how many more there are.
   */
  public List<Diagnostic> all() {
    List<Diagnostic> sorted = new ArrayList<>(errors);
    sorted.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
    if (dropped > 0) {
      sorted.add(new Diagnostic(file, firstDropped, dropped + " more " + (dropped == 1 ? "error" : "errors")
          + " not shown; gradc reports the first " + MAX_REPORTED + " errors of a run"));
    }
    return List.copyOf(sorted);
  }

  /** Throws the collected errors, if any, as one exception. */
  public void throwIfErrors() {
    if (hasErrors()) {
      throw new GradcException(all(), count());
    }
  }
}
