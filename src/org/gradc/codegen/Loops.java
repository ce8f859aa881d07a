package org.gradc.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/** Loop headers and index arithmetic on expression text, shared by every kernel body. */
final class Loops {
  private Loops() {}

  /** Opens {@code for (v = 0; v < n; v++)} unless n is 1; returns the index expression. */
  static String open(CodeBlock.Builder b, List<String> close, String v, int n) {
    if (n == 1) {
      return "0";
    }
    b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", v, v, n, v);
    close.add(v);
    return v;
  }

  /** Closes the loops opened after the first {@code depth}. */
  static void closeTo(CodeBlock.Builder b, List<String> close, int depth) {
    while (close.size() > depth) {
      close.remove(close.size() - 1);
      b.endControlFlow();
    }
  }

  static void closeAll(CodeBlock.Builder b, List<String> close) {
    closeTo(b, close, 0);
  }

  /** {@code v * k}, simplified for 0 and 1. */
  static String mul(String v, int k) {
    if (v.equals("0") || k == 0) {
      return "0";
    }
    return k == 1 ? v : v + " * " + k;
  }

  /** The sum of the terms that are not null or 0 ("0" when none is left). */
  static String add(String... terms) {
    StringBuilder sb = new StringBuilder();
    for (String t : terms) {
      if (t == null || t.equals("0")) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : " + ").append(t);
    }
    return sb.length() == 0 ? "0" : sb.toString();
  }
}
