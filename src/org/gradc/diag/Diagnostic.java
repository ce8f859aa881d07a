package org.gradc.diag;

/** One error in a source file: where, and a message in the project's voice ({@code 'W1'} quoted). */
public record Diagnostic(SourceFile file, Span span, String message) {

  /**
   * {@code FILE:LINE:COL: error: MESSAGE}, then the source line and a caret under the offending
   * character. Tabs in the source are kept in the caret line so the caret stays aligned.
   */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(file.name()).append(':').append(span.line()).append(':').append(span.col())
        .append(": error: ").append(message).append('\n');
    String line = printable(file.line(span.line()));
    if (!line.isBlank()) {
      out.append(line).append('\n');
      for (int i = 0; i < span.col() - 1 && i < line.length(); i++) {
        out.append(line.charAt(i) == '\t' ? '\t' : ' ');
      }
      out.append("^\n");
    }
    return out.toString();
  }

  /** Control characters (binary garbage) would garble a terminal; show them as '?'. */
  private static String printable(String line) {
    StringBuilder b = new StringBuilder(line.length());
    line.codePoints().forEach(cp -> b.appendCodePoint(cp != '\t' && Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }
}
