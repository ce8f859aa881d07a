package org.gradc.diag;

/**
 * A region of a source file: character offsets {@code [start, end)} plus the 1-based line and
 * column of its first character (the position every diagnostic reports). Spans come from
 * {@link SourceFile#span(int, int)}, which computes the line and column.
 *
 * @param start the UTF-16 offset of the first character
 * @param end the UTF-16 offset just past the last character ({@code start} for an empty span)
 * @param line the 1-based line of the first character
 * @param col the 1-based column of the first character, in code points (a tab is one column)
 */
public record Span(int start, int end, int line, int col) {

  /** A span for places that have no text, such as an empty file. */
  public static final Span START = new Span(0, 0, 1, 1);

  /**
   * The smallest span covering both, positioned at whichever starts first.
   *
   * @param other another span of the same file
   * @return a span from the first start to the last end
   */
  public Span to(Span other) {
    Span first = start <= other.start ? this : other;
    return new Span(first.start, Math.max(end, other.end), first.line, first.col);
  }
}
