package org.gradc.diag;

import java.util.Arrays;

/**
 * The text of one {@code .grad} file and the name it is reported under. Lines end at {@code \n},
 * {@code \r\n} or a lone {@code \r}; this class is the one place that turns a character offset
 * into a line and a column, so every phase reports the same position for the same character.
 * Columns count Unicode code points (an emoji or any other supplementary character is one
 * column, as is a tab).
 */
public final class SourceFile {
  private final String name;
  private final String text;
  /** Offset of the first character of each line. */
  private final int[] lineStarts;
  /** UTF-16 offset of each code point, or null when the text has none beyond the BMP. */
  private final int[] codePointOffsets;

  /**
   * A source file. Two source files are equal when their names and texts are.
   *
   * @param name the name diagnostics report, usually the path as given ({@code <source>} for a
   *     string)
   * @param text the whole text; a byte-order mark in it counts as a character
   *     ({@link org.gradc.Gradc#read} drops a leading one)
   */
  public SourceFile(String name, String text) {
    this.name = name;
    this.text = text;
    this.lineStarts = lineStarts(text);
    int n = text.codePointCount(0, text.length());
    if (n == text.length()) {
      codePointOffsets = null;
    } else {
      codePointOffsets = new int[n];
      for (int i = 0, k = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
        codePointOffsets[k++] = i;
      }
    }
  }

  /**
   * The name diagnostics report, the {@code FILE} of {@code FILE:LINE:COL}.
   *
   * @return the name as given to the constructor
   */
  public String name() {
    return name;
  }

  /**
   * The whole source text.
   *
   * @return the text as given to the constructor
   */
  public String text() {
    return text;
  }

  /**
   * One line of the text.
   *
   * @param n the line number, 1-based
   * @return line {@code n} without its terminator, or "" when there is no such line
   */
  public String line(int n) {
    int[] starts = lineStarts();
    if (n < 1 || n > starts.length) {
      return "";
    }
    int from = starts[n - 1];
    int to = n < starts.length ? starts[n] : text.length();
    while (to > from && (text.charAt(to - 1) == '\n' || text.charAt(to - 1) == '\r')) {
      to--;
    }
    return text.substring(from, to);
  }

  /**
   * The number of lines: one more than the line breaks.
   *
   * @return at least 1 (an empty text is one empty line; a text ending in a line break has an
   *     empty last line)
   */
  public int lineCount() {
    return lineStarts().length;
  }

  /**
   * The source text a span covers, e.g. {@code x @ W1} for a product.
   *
   * @param span a span of this file
   * @return the characters {@code [span.start(), span.end())}, cut to the text's bounds ("" for
   *     a span past the end)
   */
  public String slice(Span span) {
    int from = Math.max(0, Math.min(span.start(), text.length()));
    int to = Math.max(from, Math.min(span.end(), text.length()));
    return text.substring(from, to);
  }

  /**
   * The span of the characters {@code [start, end)} with its line and column.
   *
   * @param start the UTF-16 offset of the first character
   * @param end the UTF-16 offset just past the last character (taken as {@code start} when less)
   * @return the span, positioned at {@code start} (at the end of the text when {@code start} is
   *     past it)
   */
  public Span span(int start, int end) {
    int at = Math.max(0, Math.min(start, text.length()));
    int[] starts = lineStarts();
    int i = Arrays.binarySearch(starts, at);
    int line = i >= 0 ? i : -i - 2;
    int col = text.codePointCount(starts[line], at) + 1;
    return new Span(start, Math.max(start, end), line + 1, col);
  }

  /**
   * The UTF-16 offset of code point number {@code index} (how ANTLR counts positions in its
   * character streams).
   *
   * @param index the code point's 0-based number in the text
   * @return its UTF-16 offset: 0 for a negative index, the text's length past the end
   */
  public int offsetOfCodePoint(int index) {
    if (index < 0) {
      return 0;
    }
    if (codePointOffsets == null) {
      return Math.min(index, text.length());
    }
    return index < codePointOffsets.length ? codePointOffsets[index] : text.length();
  }

  private int[] lineStarts() {
    return lineStarts;
  }

  private static int[] lineStarts(String text) {
    {
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
          count++;
        }
      }
      int[] starts = new int[count];
      int k = 1;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
          starts[k++] = i + 1;
        }
      }
      return starts;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof SourceFile f && f.name.equals(name) && f.text.equals(text);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + text.hashCode();
  }

  @Override
  public String toString() {
    return "SourceFile[" + name + "]";
  }
}
