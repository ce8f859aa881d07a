package org.gradc.diag;

/**
 * A region of a source file: character offsets {@code [start, end)} plus the 1-based line and
 * column of its first character (the position every diagnostic reports).
 */
public record Span(int start, int end, int line, int col) {

  /** A span for places that have no text, such as an empty file. */
  public static final Span START = new Span(0, 0, 1, 1);

  /** The smallest span covering both, positioned at whichever starts first. */
  public Span to(Span other) {
    Span first = start <= other.start ? this : other;
    return new Span(first.start, Math.max(end, other.end), first.line, first.col);
  }
}
