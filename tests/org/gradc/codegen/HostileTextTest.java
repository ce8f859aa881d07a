package org.gradc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradc.Gradc;
import org.gradc.diag.SourceFile;
import org.gradc.runtime.CompiledModel;
import org.gradc.sema.CheckedModel;
import org.junit.jupiter.api.Test;

/**
 * File names, source names and DSL comments reach generated code only as comment text: no line
 * terminator, unicode escape, quote or comment delimiter in them can end a comment and become
 * Java that is compiled and run.
 */
public class HostileTextTest {
  /** The system property an injected statement would set. */
  public static final String PROPERTY = "gradc.injected";

  /** Everything that ends a line for javac, Janino, editors or Unicode, and other controls. */
  public static final String[] BREAKS = {
      "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", "\f", "\u000b", "\u001a", "\u0000",
      "\u001b", "\t"};

  /** Ways out of a comment or a string literal, each followed by a statement. */
  public static List<String> payloads() {
    String stmt = "System.setProperty(\"" + PROPERTY + "\", \"INJECTED\");";
    List<String> out = new ArrayList<>();
    for (String br : BREAKS) {
      out.add(br + stmt + br + "//");
    }
    out.add("\\u000a" + stmt + "\\u000a//");
    out.add("\\u000d" + stmt + "\\u000d//");
    out.add("\\\\u000a" + stmt + "\\\\\\u000a//");
    out.add("\\uuu000a" + stmt);
    out.add("\\u2028" + stmt);
    out.add("*/ " + stmt + " /*");
    out.add("\\u002a/ " + stmt + " /*");
    out.add("\"); " + stmt + " (\"");
    out.add("*\\u002f" + stmt);
    return out;
  }

  /** A model whose DSL comments carry {@code hostile}, in both comment forms. */
  public static String model(String name, String hostile) {
    String line = hostile.replace("\n", " ").replace("\r", " ");
    return "// header " + line + "\n"
        + "model " + name + " { // " + line + "\n"
        + "  input x[2]  /* " + hostile.replace("*/", "* /") + " */\n"
        + "  param w[2] = ones // " + line + "\n"
        + "  h = tanh(x * w)   // " + line + "\n"
        + "  output h\n"
        + "  loss sum(h * h) /* \"); " + line.replace("*/", "") + " */\n"
        + "}\n";
  }

  @Test
  void hostileSourceNamesAndCommentsStayComments() {
    List<String> payloads = payloads();
    Map<String, String> javacSources = new LinkedHashMap<>();
    for (int i = 0; i < payloads.size(); i++) {
      String hostile = payloads.get(i);
      String modelName = "Hostile" + i;
      String base = hostile.replace('/', ' ');
      for (String name : List.of("dir/a" + base + ".grad", base, "x\\" + base, hostile)) {
        SourceFile file = new SourceFile(name, model(modelName, hostile));
        CheckedModel m = Gradc.check(file).models().get(0);
        JavaEmitter.Emitted code = ModelCompiler.emit(m, "p");
        assertSafe(code.source());
        javacSources.put("p." + code.className(), code.source());
        CompiledModel compiled = Gradc.compile(file, null);
        double[] grad = new double[2];
        compiled.lossAndGradient(new double[] {1, 2}, new double[] {0.5, -1}, new double[0], 1,
            grad);
        compiled.predict(new double[] {1, 2}, new double[] {0.5, -1}, 1);
        assertNull(System.getProperty(PROPERTY), () -> "injected through " + escape(name));
      }
    }
    Bytecode.javac(javacSources);
  }

  @Test
  void commentTextHasNoLineTerminatorEscapeOrCommentEnd() {
    for (String p : payloads()) {
      String c = Comments.comment("a" + p + "*/\\u000a\\\\u000d");
      assertEquals(-1, c.indexOf('\n'));
      assertSafe("// " + c + "\n");
      assertTrue(!c.contains("*/"), c);
    }
  }

  /**
   * Asserts that {@code source}, read as javac reads it (unicode escapes first, then lines), has
   * no character that some tool takes for a line break, and no text of a payload outside
   * comments.
   */
  public static void assertSafe(String source) {
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c != '\n' && c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
        fail("character U+" + Integer.toHexString(c) + " at " + i + " in\n" + source);
      }
    }
    String decoded = unicodeUnescape(source);
    assertEquals(source, decoded, "the generated source contains unicode escapes");
    String code = stripComments(decoded);
    assertTrue(!code.contains("INJECTED") && !code.contains(PROPERTY), code);
  }

  /** JLS 3.3: a backslash preceded by an even number of backslashes may start a unicode escape. */
  static String unicodeUnescape(String s) {
    StringBuilder b = new StringBuilder();
    int backslashes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && backslashes % 2 == 0 && i + 1 < s.length() && s.charAt(i + 1) == 'u') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) == 'u') {
          j++;
        }
        if (j + 4 <= s.length()) {
          try {
            b.append((char) Integer.parseInt(s.substring(j, j + 4), 16));
            i = j + 3;
            backslashes = 0;
            continue;
          } catch (NumberFormatException e) {
            // not an escape: kept as it is
          }
        }
      }
      backslashes = c == '\\' ? backslashes + 1 : 0;
      b.append(c);
    }
    return b.toString();
  }

  /** The Java text without its comments (string and char literals kept). */
  static String stripComments(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        int nl = i;
        while (nl < s.length() && s.charAt(nl) != '\n' && s.charAt(nl) != '\r') {
          nl++;
        }
        i = nl;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
        b.append(' ');
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != c) {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        b.append(s, i, Math.min(s.length(), j + 1));
        i = j + 1;
      } else {
        b.append(c);
        i++;
      }
    }
    return b.toString();
  }

  /** Compiles one generated class (default package) with javac, failing on any error. */
  public static void javac(String className, String source) {
    Bytecode.javac(Map.of(className, source));
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
