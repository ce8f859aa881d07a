package org.gradc.diag;

import java.util.ArrayList;
import java.util.List;

/** The text of one {@code .grad} file and the name it is reported under. */
public record SourceFile(String name, String text) {

  /** Line {@code n} (1-based) without its terminator, or "" past the end. */
  public String line(int n) {
    List<String> lines = lines();
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }

  /** The source text a span covers, e.g. {@code x @ W1} for a product. */
  public String slice(Span span) {
    int from = Math.max(0, Math.min(span.start(), text.length()));
    int to = Math.max(from, Math.min(span.end(), text.length()));
    return text.substring(from, to);
  }

  private List<String> lines() {
    List<String> out = new ArrayList<>();
    int begin = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(begin, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        begin = i + 1;
      }
    }
    out.add(text.substring(begin));
    return out;
  }
}
