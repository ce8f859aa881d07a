package org.gradc.diag;

/**
 * Text from a user's file or command line, made safe to quote in a one-line message: control
 * characters (C0, DEL, C1), invisible format characters (byte-order mark, zero-width spaces and
 * joiners, bidirectional controls), line and paragraph separators, spaces other than U+0020,
 * lone surrogates and unassigned code points are written as {@code \u001B}, so a field or a JSON
 * key can neither colour the terminal nor hide or reorder what the message says. {@link #quote}
 * also shortens long text (a megabyte-long field) to about {@value #MAX} characters and an
 * ellipsis.
 */
public final class UserText {
  /** Longest quoted text, in characters after escaping, before it is cut with {@code …}. */
  public static final int MAX = 60;

  private UserText() {}

  /** {@code text} with every unsafe character escaped, shortened to about {@value #MAX} characters. */
  public static String quote(CharSequence text) {
    return escape(text, MAX);
  }

  /** {@code text} with every unsafe character escaped, shortened to about {@code max} characters. */
  public static String quote(CharSequence text, int max) {
    return escape(text, max);
  }

  /** {@code text} with every unsafe character escaped, at any length. */
  public static String escape(CharSequence text) {
    return escape(text, Integer.MAX_VALUE);
  }

  /** Whether {@code cp} is shown as an escape. */
  public static boolean unsafe(int cp) {
    if (cp == ' ') {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR, Character.SURROGATE,
          Character.UNASSIGNED, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }

  private static String escape(CharSequence text, int max) {
    if (text == null) {
      return "null";
    }
    int n = text.length();
    StringBuilder b = new StringBuilder(Math.min(n, max) + 8);
    int i = 0;
    while (i < n) {
      int cp = Character.codePointAt(text, i);
      int len = Character.charCount(cp);
      int before = b.length();
      if (unsafe(cp)) {
        for (char c : Character.toChars(cp)) {
          b.append(String.format("\\u%04X", (int) c));
        }
      } else {
        b.appendCodePoint(cp);
      }
      if (b.length() > max && i + len < n) {
        b.setLength(before);
        return b.append('…').toString();
      }
      i += len;
    }
    return b.toString();
  }
}
