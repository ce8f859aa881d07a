package org.gradc.diag;

/**
 * One error or warning in a source file: where, and a message in the project's voice
 * ({@code 'W1'} quoted).
 *
 * @param file the file the problem is in
 * @param span where in {@code file}: offsets, line and column of the offending text
 * @param message what is wrong, one line without the position
 * @param severity an error (the file does not compile) or a warning (it does)
 */
public record Diagnostic(SourceFile file, Span span, String message, Severity severity) {

  /** Whether the problem stops compilation. */
  public enum Severity {
    /** The file does not compile. */
    ERROR,
    /** The file compiles, but probably not as meant. */
    WARNING;

    /** The word reports use: {@code error} or {@code warning}. */
    String label() {
      return this == ERROR ? "error" : "warning";
    }
  }

  /**
   * An error.
   *
   * @param file the file the error is in
   * @param span where in {@code file}
   * @param message what is wrong, one line without the position
   */
  public Diagnostic(SourceFile file, Span span, String message) {
    this(file, span, message, Severity.ERROR);
  }

  /**
   * {@code FILE:LINE:COL: error: MESSAGE} (or {@code warning:}), then the source line and a caret under the offending
   * character. Invisible and control characters in the message and the line are shown escaped
   * ({@link #printable}); the caret line has one space per column (a tab stays a tab, an escaped
   * character gets the width of its escape), so the caret stays under the character.
   *
   * @return the report, ending in a line break; only its first line when the source line is
   *     blank or past the end of the file
   */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(UserText.escape(file.name())).append(':').append(span.line()).append(':').append(span.col())
        .append(": ").append(severity.label()).append(": ").append(printable(message)).append('\n');
    String raw = file.line(span.line());
    if (!raw.isBlank()) {
      out.append(printable(raw)).append('\n');
      int col = 1;
      for (int i = 0; i < raw.length() && col < span.col(); col++) {
        int cp = raw.codePointAt(i);
        i += Character.charCount(cp);
        if (cp == '\t') {
          out.append('\t');
        } else {
          out.append(" ".repeat(escape(cp) == null ? 1 : escape(cp).length()));
        }
      }
      out.append("^\n");
    }
    return out.toString();
  }

  /**
   * The text with every character that would garble a terminal or hide itself shown as an
   * escape: control characters other than tab ({@code \u001B}), format characters such as
   * zero-width spaces, bidirectional controls and byte-order marks ({@code \u200B}), line and
   * paragraph separators, unpaired surrogates and unassigned code points.
   *
   * @param text any text
   * @return {@code text} itself when nothing in it needs escaping, otherwise the escaped copy
   */
  public static String printable(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      String esc = escape(cp);
      if (esc != null && b == null) {
        b = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (b != null) {
        if (esc != null) {
          b.append(esc);
        } else {
          b.appendCodePoint(cp);
        }
      }
      i += Character.charCount(cp);
    }
    return b == null ? text : b.toString();
  }

  /** The escape of an invisible or control code point, or null for one shown as it is. */
  private static String escape(int cp) {
    if (cp == '\t') {
      return null;
    }
    int type = Character.getType(cp);
    boolean hidden = type == Character.CONTROL || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE || type == Character.UNASSIGNED;
    if (!hidden) {
      return null;
    }
    return cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\U%08X", cp);
  }

  /** {@code FILE:LINE:COL: MESSAGE}, on one line (the source line is in {@link #format()}). */
  @Override
  public String toString() {
    return UserText.escape(file.name()) + ":" + span.line() + ":" + span.col() + ": " + message;
  }
}
